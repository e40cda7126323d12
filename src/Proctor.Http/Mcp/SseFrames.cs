using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Proctor.Http.Mcp;

/// <summary>How every SSE response of the gateway starts and how each JSON-RPC message is framed on it.</summary>
internal static class SseFrames
{
    public static void Start(HttpContext context)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>Writes one <c>message</c> event in a single write (framing and JSON in one buffer).</summary>
    public static ValueTask WriteMessageAsync(Stream body, JsonObject message, CancellationToken cancellationToken)
    {
        var frame = new ArrayBufferWriter<byte>(256);
        frame.Write("event: message\ndata: "u8);
        using (var json = new Utf8JsonWriter(frame))
        {
            message.WriteTo(json);
        }

        frame.Write("\n\n"u8);
        return body.WriteAsync(frame.WrittenMemory, cancellationToken);
    }
}
