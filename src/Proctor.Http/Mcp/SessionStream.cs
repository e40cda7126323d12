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
        SseFrames.Start(context);
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
                    await SseFrames.WriteMessageAsync(body, message, context.RequestAborted).ConfigureAwait(false);
                }

                await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
