using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Proctor.Http.Mcp;

/// <summary>
/// The answer to one client POST. It stays a plain JSON response unless something must be sent before
/// the final response (progress, logs, a server request), in which case it switches to an SSE stream.
/// Most calls therefore cost one JSON write, and streaming calls still stream.
/// </summary>
internal sealed class ResponseStream(HttpContext context)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _streaming;

    public bool CanStream { get; } = AcceptsEventStream(context.Request);

    public async ValueTask SendEventAsync(JsonObject message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_streaming)
            {
                _streaming = true;
                SseFrames.Start(context);
            }

            await SseFrames.WriteMessageAsync(context.Response.Body, message, cancellationToken).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <param name="status">The HTTP status when the answer is still a plain JSON response (2026-07-28 maps some errors to 400/404).</param>
    public async Task CompleteAsync(JsonObject response, CancellationToken cancellationToken, int status = StatusCodes.Status200OK)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_streaming)
            {
                await SseFrames.WriteMessageAsync(context.Response.Body, response, cancellationToken).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(response), cancellationToken).ConfigureAwait(false);
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
