using System.Buffers;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Mcp;

internal static class HttpReplies
{
    /// <summary>The message as the whole body, with its length: copied into the response's pipe, then flushed.</summary>
    public static async Task JsonAsync(HttpContext context, int status, JsonObject body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        var json = JsonScratch.Write(body, static (message, writer) => message.WriteTo(writer));
        response.ContentLength = json.Length;
        response.BodyWriter.Write(json);
        await response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
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
