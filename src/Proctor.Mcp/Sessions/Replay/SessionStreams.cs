namespace Proctor.Mcp.Sessions.Replay;

/// <summary>
/// A session's SSE streams and the log they replay from: opens them, finds the one a <c>Last-Event-ID</c> names
/// (never another session's: each session has its own, reached only through the owner check), and ends them all
/// when the session closes.
/// </summary>
public sealed class SessionStreams
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, ResumableStream> _live = [];
    private bool _closed;

    internal SessionStreams(SessionReplayLimits limits) => Log = new SessionEventLog(limits);

    internal SessionEventLog Log { get; }

    /// <summary>Events and bytes held for replay now.</summary>
    public (int Events, long Bytes) Held => (Log.HeldEvents, Log.HeldBytes);

    /// <param name="standalone">A GET stream rather than the answer to one POST.</param>
    internal ResumableStream Open(bool standalone)
    {
        var stream = new ResumableStream(Log.Open(standalone), standalone, this);
        bool closed;
        lock (_lock)
        {
            closed = _closed;
            if (!closed)
            {
                _live[stream.Number] = stream;
            }
        }

        if (closed)
        {
            stream.End(); // the session closed meanwhile: nothing will be sent on it
        }

        return stream;
    }

    /// <summary>
    /// The stream a <c>Last-Event-ID</c> names, live (a call in flight, or a GET stream, revived when its connection
    /// had ended), or null with a found lookup for a POST stream that completed: its replay is all there is.
    /// </summary>
    internal (ReplayLookup Lookup, ResumableStream? Stream) Find(string lastEventId)
    {
        var lookup = Log.After(lastEventId);
        if (lookup.Status != ReplayStatus.Found)
        {
            return (lookup, null);
        }

        lock (_lock)
        {
            if (_closed)
            {
                return (ReplayLookup.Gone, null);
            }

            if (_live.TryGetValue(lookup.Stream, out var live))
            {
                return (lookup, live);
            }

            if (lookup.Standalone)
            {
                Log.Revive(lookup.Stream);
                var revived = new ResumableStream(lookup.Stream, standalone: true, this);
                _live[lookup.Stream] = revived;
                return (lookup, revived);
            }
        }

        // Completed after the first lookup, perhaps: read again, now that its answer is certainly in the log.
        return (Log.After(lastEventId), null);
    }

    internal void Ended(ResumableStream stream)
    {
        lock (_lock)
        {
            if (_live.TryGetValue(stream.Number, out var live) && ReferenceEquals(live, stream))
            {
                _live.Remove(stream.Number);
            }
        }

        Log.End(stream.Number, stream.Completed);
    }

    /// <summary>The session closed: every stream ends and its connection is released.</summary>
    internal void CloseAll()
    {
        List<ResumableStream> live;
        lock (_lock)
        {
            _closed = true;
            live = [.. _live.Values];
        }

        foreach (var stream in live)
        {
            stream.End();
        }
    }
}
