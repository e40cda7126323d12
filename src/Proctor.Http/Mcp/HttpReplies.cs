using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Mcp;

internal static class HttpReplies
{
    public static async Task JsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body), context.RequestAborted).ConfigureAwait(false);
    }

    public static Task ErrorAsync(HttpContext context, int status, int code, string message, JsonNode? id = null) =>
        JsonAsync(context, status, JsonRpc.Error(id, code, message));

    public static void Accepted(HttpContext context) => context.Response.StatusCode = StatusCodes.Status202Accepted;
}
