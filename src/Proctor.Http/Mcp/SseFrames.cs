using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Proctor.Mcp.Clients;

namespace Proctor.Http.Mcp;

/// <summary>How every SSE response of the gateway starts and how each event is framed on it.</summary>
internal static class SseFrames
{
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    public static void Start(HttpContext context)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }

    /// <summary>
    /// Writes one event in a single write: its <c>id</c> when it has one, then a <c>message</c> event with the JSON,
    /// or, for a priming event, an empty <c>data</c> field (written without a trailing space).
    /// </summary>
    public static ValueTask WriteEventAsync(Stream body, StreamEvent streamEvent, CancellationToken cancellationToken)
    {
        var frame = new ArrayBufferWriter<byte>(streamEvent.Data.Length + 64);
        if (streamEvent.Id is { } id)
        {
            frame.Write("id: "u8);
            Encoding.UTF8.GetBytes(id.AsSpan(), frame);
            frame.Write("\n"u8);
        }

        if (streamEvent.Data.IsEmpty)
        {
            frame.Write("data:\n\n"u8);
        }
        else
        {
            frame.Write("event: message\ndata: "u8);
            frame.Write(streamEvent.Data.Span);
            frame.Write("\n\n"u8);
        }

        return body.WriteAsync(frame.WrittenMemory, cancellationToken);
    }

    /// <summary>A comment line: ignored by clients, it keeps idle connections open through proxies.</summary>
    public static ValueTask WriteKeepAliveAsync(Stream body, CancellationToken cancellationToken) => body.WriteAsync(KeepAlive, cancellationToken);
}
