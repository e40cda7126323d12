using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Clients;

namespace Proctor.Http.Mcp;

/// <summary>
/// The response to one MCP POST or GET, as the front's channel: a plain JSON reply unless the front writes events,
/// which turn it into an SSE stream. Every write fails soft (false) once the client is gone, and none happens after
/// <see cref="CloseAsync"/>: the <see cref="HttpContext"/> serves the connection's next request after this one, so a
/// stream still holding the channel must never write into someone else's response.
/// </summary>
internal sealed class HttpResponseChannel(HttpContext context, CancellationToken stopping) : IResponseChannel
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _started;
    private bool _closed;

    public bool AcceptsEvents { get; } = AcceptsEventStream(context.Request);

    public CancellationToken ClientGone { get; } = context.RequestAborted;

    public CancellationToken Stopping => stopping;

    /// <summary>Whether the response became an SSE stream (its status and headers are sent).</summary>
    public bool Started => Volatile.Read(ref _started);

    public ValueTask<bool> TryStartEventsAsync() => WriteAsync(null);

    public ValueTask<bool> TryWriteEventAsync(StreamEvent streamEvent) => WriteAsync((body, token) => SseFrames.WriteEventAsync(body, streamEvent, token));

    public ValueTask<bool> TryKeepAliveAsync() => WriteAsync(SseFrames.WriteKeepAliveAsync);

    /// <summary>The request is ending: waits for a write in progress, then refuses every later one.</summary>
    public async Task CloseAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        _closed = true;
        _gate.Release();
    }

    /// <param name="write">What to write once the stream has started; null only starts it.</param>
    private async ValueTask<bool> WriteAsync(Func<Stream, CancellationToken, ValueTask>? write)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_closed || ClientGone.IsCancellationRequested)
            {
                return false;
            }

            if (!_started)
            {
                SseFrames.Start(context);
                Volatile.Write(ref _started, true);
            }

            var body = context.Response.Body;
            if (write is not null)
            {
                await write(body, ClientGone).ConfigureAwait(false);
            }

            await body.FlushAsync(ClientGone).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false; // the client is gone; what was not written waits in the session's replay log, where there is one
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool AcceptsEventStream(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && (accept.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase) || accept.Contains("*/*", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
