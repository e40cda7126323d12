using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Sessions.Replay;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// The answer to one session-era POST. When something must precede the answer it becomes one of the session's
/// resumable streams: a priming event with an id first, then every event with an id, kept for replay.
/// </summary>
internal sealed class SessionAnswerStream(SessionStreams streams, IResponseChannel channel) : AnswerStream
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ResumableStream? _stream;
    private bool _answered;
    private volatile bool _resumable;

    public override bool CanStream => channel.AcceptsEvents;

    /// <summary>
    /// An event id reached the client's connection, so the client can come back for the rest with <c>Last-Event-ID</c>:
    /// from then on a dropped connection does not end the call (Streamable HTTP: disconnection is not cancellation).
    /// </summary>
    public bool Resumable => _resumable;

    /// <summary>Something preceded the answer: the reply is an event stream, whatever happens next.</summary>
    public bool Started => Volatile.Read(ref _stream) is not null;

    public override async ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_answered)
            {
                return;
            }

            if (_stream is null)
            {
                _stream = streams.Open(standalone: false);
                _resumable = await _stream.StartAsync(channel).ConfigureAwait(false);
            }

            await _stream.SendAsync(Serialize(message), cancellationToken).ConfigureAwait(false);
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
            if (_stream is null)
            {
                return false;
            }

            await _stream.CompleteAsync(Serialize(response)).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The call ended without an answer (cancelled): the stream ends, releasing a client that resumed it.</summary>
    public void Abandon()
    {
        if (Volatile.Read(ref _stream) is { Completed: false } stream)
        {
            stream.End();
        }
    }
}
