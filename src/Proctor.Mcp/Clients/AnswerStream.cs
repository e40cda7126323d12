using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Clients;

/// <summary>
/// The way back to the client for one of its requests: what the gateway sends before the answer (progress, logs,
/// server requests), then the answer. It stays a plain reply unless something must precede the answer, and only
/// then becomes an event stream: most calls cost one JSON write, and streaming calls still stream.
/// </summary>
internal abstract class AnswerStream
{
    /// <summary>Whether anything can precede the answer (the client accepts an event stream).</summary>
    public abstract bool CanStream { get; }

    public abstract ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken);

    /// <returns>True when the answer went on the event stream; false when the transport must send it as the plain reply.</returns>
    public abstract Task<bool> CompleteAsync(JsonObject response, CancellationToken cancellationToken);

    protected static ReadOnlyMemory<byte> Serialize(JsonObject message) => JsonSerializer.SerializeToUtf8Bytes(message);
}

/// <summary>An answer stream without event ids: 2026-07-28 requests, whose streams are not resumed (closing one cancels its request).</summary>
internal sealed class PlainAnswerStream(IResponseChannel channel) : AnswerStream
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _streaming;
    private bool _answered;

    public override bool CanStream => channel.AcceptsEvents;

    public override async ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_answered)
            {
                _streaming = true;
                await channel.TryWriteEventAsync(new StreamEvent(null, Serialize(message))).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async Task<bool> CompleteAsync(JsonObject response, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _answered = true;
            if (_streaming)
            {
                await channel.TryWriteEventAsync(new StreamEvent(null, Serialize(response))).ConfigureAwait(false);
            }

            return _streaming;
        }
        finally
        {
            _gate.Release();
        }
    }
}
