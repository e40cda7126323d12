using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Proctor.Mcp.Sessions;

namespace Proctor.Http.Mcp;

/// <summary>The session-era GET stream: unsolicited notifications, with keep-alive comments while idle.</summary>
internal sealed class SessionStream(ClientSession session)
{
    /// <summary>Below the 30–60 s idle timeouts common in load balancers and proxies.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);
    private static readonly byte[] Comment = Encoding.UTF8.GetBytes(": keep-alive\n\n");

    public async Task RunAsync(HttpContext context)
    {
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        var reader = session.Outbound.Reader;
        var body = context.Response.Body;
        try
        {
            while (!context.RequestAborted.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                wait.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                {
                    await body.WriteAsync(Comment, context.RequestAborted).ConfigureAwait(false);
                    await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
                    continue;
                }

                if (!more)
                {
                    return;
                }

                while (reader.TryRead(out var message))
                {
                    await body.WriteAsync(Encoding.UTF8.GetBytes("event: message\ndata: "), context.RequestAborted).ConfigureAwait(false);
                    await body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(message), context.RequestAborted).ConfigureAwait(false);
                    await body.WriteAsync("\n\n"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
                }

                await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
