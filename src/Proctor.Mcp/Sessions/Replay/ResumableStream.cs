using Proctor.Mcp.Clients;

namespace Proctor.Mcp.Sessions.Replay;

/// <summary>
/// One SSE stream of a session-era session: the answer to one POST, or a GET stream. Each event gets an id and is
/// kept in the session's log before it is written to whichever connection is attached now. A connection that drops
/// only detaches (the stream, and the call behind it, go on: Streamable HTTP says a disconnection is not a
/// cancellation); a GET with <c>Last-Event-ID</c> attaches the next connection after replaying what the client
/// missed. Writes go one at a time through one gate, so a replay and live events never interleave or repeat.
/// </summary>
internal sealed class ResumableStream(int number, bool standalone, SessionStreams owner)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Attachment? _attachment;

    public int Number => number;

    /// <summary>A GET stream: it never completes, and its history stays resumable after its connection ends.</summary>
    public bool Standalone => standalone;

    /// <summary>The POST's answer was sent on it: nothing follows.</summary>
    public bool Completed { get; private set; }

    /// <summary>Completes when the answer was sent or the session closed.</summary>
    public Task Ended => _ended.Task;

    private SessionEventLog Log => owner.Log;

    /// <summary>Attaches the stream's first connection and primes it with an id, before any event is ready.</summary>
    public async Task<bool> StartAsync(IResponseChannel channel)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Attach(channel);
            return await WriteAsync(new StreamEvent(Log.Mark(number), ReadOnlyMemory<byte>.Empty)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Completed)
            {
                await WriteAsync(new StreamEvent(Log.Append(number, data), data)).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends the POST's answer, the stream's last event, and ends the stream.</summary>
    public async Task CompleteAsync(ReadOnlyMemory<byte> data)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            Completed = true;
            await WriteAsync(new StreamEvent(Log.Append(number, data), data)).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }

        End();
    }

    /// <summary>
    /// Replays what followed <paramref name="lastEventId"/> on this stream to <paramref name="channel"/>, then attaches it
    /// for what comes next, unless the answer was already among the replayed events.
    /// </summary>
    /// <returns>Found, or why nothing was replayed (an eviction may have raced the lookup); nothing is written then.</returns>
    public async Task<ReplayStatus> ResumeAsync(IResponseChannel channel, string lastEventId)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var lookup = Log.After(lastEventId);
            if (lookup.Status != ReplayStatus.Found || lookup.Stream != number)
            {
                return lookup.Status == ReplayStatus.Found ? ReplayStatus.NotIssued : lookup.Status;
            }

            if (!await channel.TryStartEventsAsync().ConfigureAwait(false))
            {
                return ReplayStatus.Found;
            }

            foreach (var missed in lookup.Missed)
            {
                if (!await channel.TryWriteEventAsync(missed).ConfigureAwait(false))
                {
                    return ReplayStatus.Found;
                }
            }

            if (!Completed)
            {
                Attach(channel);
            }

            return ReplayStatus.Found;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Completes when <paramref name="channel"/> stops being this stream's connection: it dropped, another took over, or the stream ended.</summary>
    public Task Released(IResponseChannel channel) =>
        Volatile.Read(ref _attachment) is { } current && ReferenceEquals(current.Channel, channel) ? current.Released.Task : Task.CompletedTask;

    public bool IsAttached(IResponseChannel channel) => ReferenceEquals(Volatile.Read(ref _attachment)?.Channel, channel);

    public async ValueTask KeepAliveAsync(IResponseChannel channel)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (IsAttached(channel) && !await channel.TryKeepAliveAsync().ConfigureAwait(false))
            {
                Detach(channel);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A GET stream's connection ended: the stream ends too, unless a resumed connection has taken it over.</summary>
    public void Leave(IResponseChannel channel)
    {
        var current = Volatile.Read(ref _attachment);
        if (current is null || ReferenceEquals(current.Channel, channel))
        {
            Detach(channel);
            owner.Ended(this);
        }
    }

    /// <summary>Ends the stream: its answer was sent, or the session closed. An attached connection is released.</summary>
    public void End()
    {
        if (Volatile.Read(ref _attachment) is { } current)
        {
            Detach(current.Channel);
        }

        owner.Ended(this);
        _ended.TrySetResult();
    }

    private void Attach(IResponseChannel channel)
    {
        var next = new Attachment(channel);
        if (Interlocked.Exchange(ref _attachment, next) is { } previous)
        {
            previous.Release(); // taken over: a client resumed on a new connection while the old one looked alive
        }

        next.Registration = channel.ClientGone.Register(() => Detach(channel));
    }

    private void Detach(IResponseChannel channel)
    {
        var current = Volatile.Read(ref _attachment);
        if (current is not null && ReferenceEquals(current.Channel, channel) && Interlocked.CompareExchange(ref _attachment, null, current) == current)
        {
            current.Release();
        }
    }

    /// <returns>False when no connection took the event: it waits in the log for a resume.</returns>
    private async ValueTask<bool> WriteAsync(StreamEvent streamEvent)
    {
        if (Volatile.Read(ref _attachment) is not { } current)
        {
            return false;
        }

        if (await current.Channel.TryWriteEventAsync(streamEvent).ConfigureAwait(false))
        {
            return true;
        }

        Detach(current.Channel);
        return false;
    }

    private sealed class Attachment(IResponseChannel channel)
    {
        public IResponseChannel Channel => channel;

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public void Release()
        {
            Registration.Unregister();
            Released.TrySetResult();
        }
    }
}
