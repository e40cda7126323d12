using Proctor.Mcp.Clients;

namespace Proctor.Mcp.Sessions.Replay;

/// <summary>
/// What one session's streams sent, kept for clients that resume with <c>Last-Event-ID</c>. Bounded by
/// <see cref="SessionReplayLimits"/>: when full, the oldest event goes, and its stream remembers that it lost it, so
/// a resume that would need it is refused instead of silently skipping it. A stream's history outlives its
/// connection (the client may come back), but only the newest ended ones are kept, as many as the event bound.
/// Events are kept as sent: masked for the caller and already on record; a replay adds nothing to the ledger.
/// </summary>
internal sealed class SessionEventLog(SessionReplayLimits limits)
{
    /// <summary>Numbers every log of this process, so that each session's event ids are its own.</summary>
    private static long s_lastLog;

    private readonly long _log = Interlocked.Increment(ref s_lastLog);
    private readonly Lock _lock = new();
    private readonly Queue<HeldEvent> _events = new();
    private readonly Dictionary<int, StreamHistory> _streams = [];
    private readonly Queue<(int Stream, long Generation)> _ended = new();
    private long _bytes;
    private long _lastNumber;
    private int _lastStream;
    private long _generation;

    public SessionReplayLimits Limits => limits;

    public int HeldEvents
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    public long HeldBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <param name="standalone">A GET stream (it never completes) rather than the answer to one POST.</param>
    public int Open(bool standalone)
    {
        lock (_lock)
        {
            var number = ++_lastStream;
            _streams[number] = new StreamHistory(standalone);
            return number;
        }
    }

    /// <summary>An id with no event behind it: the priming event that lets a client resume before anything was sent.</summary>
    public string Mark(int stream)
    {
        lock (_lock)
        {
            var number = ++_lastNumber;
            if (_streams.TryGetValue(stream, out var history))
            {
                history.LastNumber = number;
            }

            return EventIds.Format(_log, stream, number);
        }
    }

    /// <summary>Keeps <paramref name="data"/> as the stream's next event and returns its id.</summary>
    public string Append(int stream, ReadOnlyMemory<byte> data)
    {
        lock (_lock)
        {
            var number = ++_lastNumber;
            if (!_streams.TryGetValue(stream, out var history))
            {
                return EventIds.Format(_log, stream, number); // a stream already forgotten: delivered live, never replayable
            }

            history.LastNumber = number;
            if (data.Length > limits.MaxBytes || limits.MaxEvents == 0)
            {
                history.LostThrough = number; // delivered live, never replayable
                return EventIds.Format(_log, stream, number);
            }

            _events.Enqueue(new HeldEvent(stream, number, data));
            _bytes += data.Length;
            history.Held++;
            while (_events.Count > limits.MaxEvents || _bytes > limits.MaxBytes)
            {
                var oldest = _events.Dequeue();
                _bytes -= oldest.Data.Length;
                if (_streams.TryGetValue(oldest.Stream, out var owner))
                {
                    owner.LostThrough = oldest.Number;
                    owner.Held--;
                }
            }

            return EventIds.Format(_log, stream, number);
        }
    }

    /// <summary>The stream has no call or connection behind it any more; <paramref name="completed"/>: its answer was sent.</summary>
    public void End(int stream, bool completed)
    {
        lock (_lock)
        {
            if (!_streams.TryGetValue(stream, out var history) || history.Ended)
            {
                return;
            }

            history.Ended = true;
            history.Completed |= completed;
            history.Generation = ++_generation;
            _ended.Enqueue((stream, history.Generation));
            while (_ended.Count > Math.Max(limits.MaxEvents, 1))
            {
                var (forgotten, generation) = _ended.Dequeue();
                if (_streams.TryGetValue(forgotten, out var old) && old.Ended && old.Generation == generation)
                {
                    _streams.Remove(forgotten); // ended again later: that later entry decides
                }
            }
        }
    }

    /// <summary>A GET stream resumed: live again until its new connection ends.</summary>
    public void Revive(int stream)
    {
        lock (_lock)
        {
            if (_streams.TryGetValue(stream, out var history))
            {
                history.Ended = false; // its entry in the ended queue is skipped when it comes up
            }
        }
    }

    /// <summary>What a client that last saw <paramref name="lastEventId"/> missed on that event's stream.</summary>
    public ReplayLookup After(string lastEventId)
    {
        if (!EventIds.TryParse(lastEventId, out var log, out var stream, out var number) || log != _log)
        {
            return ReplayLookup.NotIssued;
        }

        lock (_lock)
        {
            if (!_streams.TryGetValue(stream, out var history))
            {
                return stream >= 1 && stream <= _lastStream && number <= _lastNumber ? ReplayLookup.Gone : ReplayLookup.NotIssued;
            }

            if (number > history.LastNumber || number < 1)
            {
                return ReplayLookup.NotIssued;
            }

            if (history.LostThrough > number)
            {
                return ReplayLookup.Gone;
            }

            var missed = new List<StreamEvent>();
            foreach (var held in _events)
            {
                if (held.Stream == stream && held.Number > number)
                {
                    missed.Add(new StreamEvent(EventIds.Format(_log, stream, held.Number), held.Data));
                }
            }

            return new ReplayLookup(ReplayStatus.Found, stream, history.Standalone, history.Completed, missed);
        }
    }

    private sealed record HeldEvent(int Stream, long Number, ReadOnlyMemory<byte> Data);

    private sealed class StreamHistory(bool standalone)
    {
        public bool Standalone { get; } = standalone;

        public long LastNumber { get; set; }

        /// <summary>The newest of this stream's events that is no longer held (evicted, or too large to keep).</summary>
        public long LostThrough { get; set; }

        public int Held { get; set; }

        public bool Ended { get; set; }

        public bool Completed { get; set; }

        /// <summary>Which of its entries in the ended queue is current (a revived GET stream ends again later).</summary>
        public long Generation { get; set; }
    }
}

internal enum ReplayStatus
{
    /// <summary>Everything the stream sent after the id is still held.</summary>
    Found,

    /// <summary>The id is this session's, but some of what followed it on its stream is no longer held.</summary>
    Gone,

    /// <summary>The session never issued this id.</summary>
    NotIssued,
}

/// <param name="Completed">A POST stream whose answer was sent: the replay is all there is.</param>
internal sealed record ReplayLookup(ReplayStatus Status, int Stream, bool Standalone, bool Completed, IReadOnlyList<StreamEvent> Missed)
{
    public static readonly ReplayLookup Gone = new(ReplayStatus.Gone, 0, false, false, []);
    public static readonly ReplayLookup NotIssued = new(ReplayStatus.NotIssued, 0, false, false, []);
}
