using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger.Index;

/// <summary>
/// Fills the query index from the log, off the append path. Appends made by this process hand over what the index needs
/// (<see cref="Feed"/>), so a round costs a few rows per session rather than a parse per event; anything else (appends
/// by another process, or what a crash left unindexed) is read back from the log and parsed. A round is one
/// transaction that starts where the index ends, so rounds run by several processes never index a frame twice.
/// </summary>
internal sealed class LedgerIndexer(LedgerLog log)
{
    /// <summary>Events held for the next round before falling back to reading them from the log: about 20 MB at most.</summary>
    private const int MaxPending = 262_144;

    /// <summary>
    /// Most events one transaction indexes, so one round's memory stays bounded however far behind the index is, and its
    /// lists stay off the large object heap (a second's events at full load are several rounds; see IndexTables.MaxEventsPerRow).
    /// </summary>
    internal const int MaxPerRound = 4_096;

    private readonly object _lock = new();
    private readonly Queue<(FrameLocation Frame, IndexedEvent[] Events)> _pending = new();
    private int _pendingEvents;

    /// <summary>Set by <see cref="Feed"/>; the background loop waits on it.</summary>
    public SemaphoreSlim Fed { get; } = new(0, 1);

    /// <summary>
    /// Set by <see cref="Feed"/> once a round's worth of events waits: the background loop then runs a round without
    /// waiting out its delay. At full load that is several rounds a second, so the events held for the index die young
    /// instead of being promoted to the oldest generation (a second of them was the gateway's main promotion, issue 13).
    /// </summary>
    public SemaphoreSlim RoundFull { get; } = new(0, 1);

    /// <summary>What the index needs of a batch this process has just made durable at <paramref name="frame"/>.</summary>
    public void Feed(FrameLocation frame, IReadOnlyList<EntryDraft> drafts)
    {
        var events = new IndexedEvent[drafts.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var d = drafts[i];
            events[i] = new IndexedEvent(frame.FirstIndex + i, d.EventId, d.Kind, d.Time.ToUnixTimeMilliseconds(), d.SessionId, d.Subject, d.Server);
        }
        lock (_lock)
        {
            if (_pendingEvents + events.Length > MaxPending)
            {
                _pending.Clear(); // the index fell far behind: the next rounds read these from the log instead
                _pendingEvents = 0;
            }
            _pending.Enqueue((frame, events));
            _pendingEvents += events.Length;
            if (Fed.CurrentCount == 0)
            {
                Fed.Release();
            }
            if (_pendingEvents >= MaxPerRound && RoundFull.CurrentCount == 0)
            {
                RoundFull.Release();
            }
        }
    }

    /// <summary>Brings the index up to the end of the log. Runs on the store's connection, one round at a time.</summary>
    public void CatchUp(SqliteConnection connection)
    {
        while (Round(connection))
        {
        }
    }

    /// <summary>One transaction's worth; true if there may be more to index.</summary>
    private bool Round(SqliteConnection connection)
    {
        using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable);
        var end = IndexTables.IndexedEnd(connection, transaction);
        var frames = new List<FrameLocation>();
        var events = new List<IndexedEvent>();
        bool more;
        while (events.Count < MaxPerRound)
        {
            var next = NextPending(end);
            if (next is { } fed && fed.Frame.FirstIndex == end)
            {
                frames.Add(fed.Frame);
                events.AddRange(fed.Events);
                end = fed.Frame.EndIndex;
                continue;
            }
            var stop = next?.Frame.FirstIndex ?? long.MaxValue;
            var read = ReadFromLog(connection, end, stop, MaxPerRound - events.Count, frames, events);
            if (read == end)
            {
                break;
            }
            end = read;
        }
        more = events.Count >= MaxPerRound;
        IndexTables.InsertFrames(connection, transaction, frames);
        IndexTables.InsertEvents(connection, transaction, events);
        var replayed = log.PendingPurge;
        if (replayed is not null)
        {
            IndexTables.MarkPurged(connection, transaction, replayed.Where(i => i < end).ToList());
        }
        transaction.Commit();
        if (replayed is not null)
        {
            log.PurgeReplayed();
        }
        return more;
    }

    /// <summary>The next batch fed, dropping batches already indexed (by a round of another process, or read from the log).</summary>
    private (FrameLocation Frame, IndexedEvent[] Events)? NextPending(long end)
    {
        lock (_lock)
        {
            while (_pending.TryPeek(out var head))
            {
                if (head.Frame.FirstIndex > end)
                {
                    return head;
                }
                _pending.Dequeue();
                _pendingEvents -= head.Events.Length;
                if (head.Frame.FirstIndex == end)
                {
                    return head;
                }
            }
            return null;
        }
    }

    /// <summary>Reads whole frames from <paramref name="from"/> up to <paramref name="stop"/> out of the log, parsing each event; returns where it got to.</summary>
    private long ReadFromLog(SqliteConnection connection, long from, long stop, int budget, List<FrameLocation> frames, List<IndexedEvent> events)
    {
        var end = from;
        var resume = from == 0 ? null : IndexTables.LocateFrame(connection, from - 1);
        log.ReadFrames(from, _ => resume, (frame, entries) =>
        {
            if (frame.FirstIndex != end || frame.FirstIndex >= stop || budget <= 0)
            {
                return false; // a gap or overlap is the verifier's to report; the index stops before it
            }
            frames.Add(frame);
            for (var i = 0; i < entries.Length; i++)
            {
                events.Add(Parse(frame.FirstIndex + i, entries[i]));
            }
            budget -= entries.Length;
            end = frame.EndIndex;
            return true;
        });
        return end;
    }

    /// <summary>The indexed fields of an entry read back from the log; an entry that is purged or does not parse is indexed without them.</summary>
    private static IndexedEvent Parse(long index, byte[]? entry)
    {
        if (entry is not null)
        {
            try
            {
                var e = EventJson.Parse(LedgerEntry.EventOf(entry).Span);
                return new IndexedEvent(index, e.Id, e.Kind, e.Time.ToUnixTimeMilliseconds(), e.Location?.SessionId, e.Actor?.Subject, e.Location?.Server);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or ArgumentOutOfRangeException)
            {
                // the verifier reports the entry; the index keeps its place
            }
        }
        return new IndexedEvent(index, "", "", 0, null, null, null) { Purged = entry is null };
    }
}
