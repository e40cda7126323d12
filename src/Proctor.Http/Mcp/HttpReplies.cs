using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Clients;
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

    /// <summary>The HTTP status code that says a front reply's class.</summary>
    public static int StatusOf(ReplyStatus status) => status switch
    {
        ReplyStatus.Ok => StatusCodes.Status200OK,
        ReplyStatus.Accepted => StatusCodes.Status202Accepted,
        ReplyStatus.BadRequest => StatusCodes.Status400BadRequest,
        ReplyStatus.Forbidden => StatusCodes.Status403Forbidden,
        ReplyStatus.NotFound => StatusCodes.Status404NotFound,
        ReplyStatus.MethodNotAllowed => StatusCodes.Status405MethodNotAllowed,
        ReplyStatus.Gone => StatusCodes.Status410Gone,
        ReplyStatus.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ReplyStatus.Failed => StatusCodes.Status500InternalServerError,
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A reply status with no HTTP status code: map it here."),
    };
}
