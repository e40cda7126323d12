using Microsoft.AspNetCore.Http;
using Proctor.Http.Identity;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Mcp;

/// <summary>
/// The <see cref="OriginPolicy"/> for the MCP endpoints, after routing and before authentication: a browser page
/// that may not reach the gateway is refused 403 whatever credential it carries.
/// </summary>
internal sealed class OriginMiddleware(RequestDelegate next, OriginPolicy origins)
{
    public Task InvokeAsync(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RefusalFormat>() == RefusalFormat.JsonRpc && origins.Refusal(context.Request) is { } refusal
            ? HttpReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrorCodes.InvalidRequest, refusal)
            : next(context);
}
