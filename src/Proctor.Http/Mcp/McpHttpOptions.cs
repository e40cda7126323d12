using Proctor.Configuration.Models;

namespace Proctor.Http.Mcp;

/// <summary>What the client-facing transport enforces, from <c>gateway.*</c> in the configuration.</summary>
public sealed record McpHttpOptions(long MaxRequestBytes, IReadOnlyList<string> AllowedOrigins, bool LoopbackOnly)
{
    public GatewayLimits Limits { get; init; } = GatewayLimits.Default;
}
