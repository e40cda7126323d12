using Microsoft.AspNetCore.Http;
using Proctor.Http.Api;
using Proctor.Http.Mcp;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Identity;

/// <summary>
/// Endpoint metadata: how a refused request is answered, as a JSON-RPC error (<c>/mcp</c>) or as a REST error
/// (<c>/api</c>, <c>/readyz</c>, the default).
/// </summary>
internal sealed class RefusalFormat
{
    public static readonly RefusalFormat JsonRpc = new();

    public static readonly RefusalFormat Api = new();

    private RefusalFormat()
    {
    }

    public static Task WriteAsync(HttpContext context, int status, string? error, string description) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RefusalFormat>() == JsonRpc
            ? HttpReplies.ErrorAsync(context, status, JsonRpcErrorCodes.Refused, description)
            : ApiReplies.ErrorAsync(context, status, error ?? "unauthorized", description);
}
