using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Identity;

/// <summary>The caller the <c>Proctor</c> authentication scheme verified for this request (decision 0033).</summary>
internal interface ICallerFeature
{
    Caller Caller { get; }
}

internal sealed record CallerFeature(Caller Caller) : ICallerFeature;

internal static class CallerFeatureExtensions
{
    /// <summary>The verified caller; without an identity section (nothing verified), an anonymous one from the connection.</summary>
    public static Caller Caller(this HttpContext context) =>
        context.Features.Get<ICallerFeature>()?.Caller ?? Proctor.Mcp.Pipeline.Caller.Anonymous(context.Connection.RemoteIpAddress, null, "");
}
