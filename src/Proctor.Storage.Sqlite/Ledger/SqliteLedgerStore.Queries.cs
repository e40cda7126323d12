using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger.Index;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    /// <summary>How far apart a UUIDv7's own time and its row's may be before a lookup by id widens to every row.</summary>
    private static readonly TimeSpan IdClockWindow = TimeSpan.FromDays(1);

    /// <summary>Sessions, newest first, with what matched the filters: subject, server and time are those of their events, as before the log.</summary>
    public Task<IReadOnlyList<SessionSummary>> ListSessionsAsync(SessionQuery query, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<SessionSummary>>((connection, _) =>
        {
            CatchUp(connection);
            var from = query.From is { } f ? Milliseconds(f) : long.MinValue;
            var to = query.To is { } t ? Milliseconds(t) : long.MaxValue;
            var rows = IndexTables.ReadRows(connection, null, """
                session_id IS NOT NULL AND ($subject IS NULL OR subject = $subject) AND ($server IS NULL OR server = $server)
                AND last_ms >= $from AND first_ms < $to
                """, ("$subject", query.Subject), ("$server", query.Server), ("$from", from), ("$to", to));
            var sessions = new Dictionary<string, SessionSummary>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                var (first, last, count) = row.FirstMs >= from && row.LastMs < to
                    ? (row.FirstMs, row.LastMs, row.Count)
                    : Within(row.Unpack(), from, to);
                if (count == 0)
                {
                    continue;
                }
                sessions[row.SessionId!] = sessions.TryGetValue(row.SessionId!, out var seen)
                    ? new SessionSummary(seen.SessionId, Max(seen.Subject, row.Subject), Max(seen.Server, row.Server),
                        Time(Math.Min(Milliseconds(seen.FirstEvent), first)), Time(Math.Max(Milliseconds(seen.LastEvent), last)), seen.EventCount + count)
                    : new SessionSummary(row.SessionId!, row.Subject, row.Server, Time(first), Time(last), count);
            }
            IReadOnlyList<SessionSummary> newest = [.. sessions.Values.OrderByDescending(s => s.FirstEvent).Take(query.Limit)];
            return Task.FromResult(newest);
        }, cancellationToken);

    public Task<IReadOnlyList<EventRecord>> ReadSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<EventRecord>>((connection, _) =>
        {
            CatchUp(connection);
            var events = IndexTables.ReadRows(connection, null, "session_id = $session", ("$session", sessionId))
                .SelectMany(row => row.Unpack()).OrderBy(e => e.Index).ToList();
            return Task.FromResult<IReadOnlyList<EventRecord>>(Records(connection, events));
        }, cancellationToken);

    public Task<EventRecord?> FindEventAsync(string eventId, CancellationToken cancellationToken) =>
        RunAsync((connection, _) =>
        {
            CatchUp(connection);
            var found = FindIndexed(connection, eventId, LowerBound(eventId)) ?? FindIndexed(connection, eventId, null);
            return Task.FromResult(found is null ? null : Records(connection, [found]).Single());
        }, cancellationToken);

    /// <summary>Brings the index up to the end of the log; queries call this first, so they see every durable event.</summary>
    private void CatchUp(SqliteConnection connection) => Explained(() =>
    {
        _indexer.CatchUp(connection);
        return 0;
    });

    private static IndexedEvent? FindIndexed(SqliteConnection connection, string eventId, byte[]? lowerBound) =>
        IndexTables.ReadRows(connection, null, "min_id <= $id AND max_id >= $id AND ($lower IS NULL OR min_id >= $lower)",
                ("$id", EventPacking.IdKey(eventId)), ("$lower", lowerBound))
            .SelectMany(row => row.Unpack()).Where(e => e.EventId == eventId).MinBy(e => e.Index);

    /// <summary>
    /// For a UUIDv7 id, the smallest id key of a day before it: rows are indexed moments after their events' ids are
    /// made, so the lookup reads a day of rows instead of every row before it. Null for other ids.
    /// </summary>
    private static byte[]? LowerBound(string eventId)
    {
        var key = EventPacking.IdKey(eventId);
        if (key.Length != 16 || key[6] >> 4 != 7)
        {
            return null;
        }
        var milliseconds = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(key) >> 16;
        var bound = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bound, (ulong)Math.Max(0, milliseconds - (long)IdClockWindow.TotalMilliseconds) << 16);
        return bound;
    }

    /// <summary>The events with their canonical bytes read from the log, one frame read per frame touched.</summary>
    private List<EventRecord> Records(SqliteConnection connection, IReadOnlyList<IndexedEvent> events)
    {
        var bytes = new Dictionary<long, byte[]?>();
        var wanted = events.Where(e => !e.Purged).Select(e => e.Index).ToHashSet();
        foreach (var index in wanted.Order())
        {
            if (bytes.ContainsKey(index))
            {
                continue;
            }
            var location = IndexTables.LocateFrame(connection, index);
            Explained(() =>
            {
                _log.ReadFrames(index, _ => location, (frame, entries) =>
                {
                    for (var i = 0; i < entries.Length; i++)
                    {
                        bytes[frame.FirstIndex + i] = entries[i];
                    }
                    return frame.EndIndex <= index;
                });
                return 0;
            });
        }
        return [.. events.Select(e => new EventRecord(e.Index, e.EventId, e.Kind, Time(e.TimeMs), e.SessionId,
            bytes.GetValueOrDefault(e.Index) is { } entry ? Proctor.Ledger.Storage.LedgerEntry.EventOf(entry).ToArray() : null))];
    }

    private static (long First, long Last, int Count) Within(List<IndexedEvent> events, long from, long to)
    {
        var inside = events.Where(e => e.TimeMs >= from && e.TimeMs < to).ToList();
        return inside.Count == 0 ? (0, 0, 0) : (inside.Min(e => e.TimeMs), inside.Max(e => e.TimeMs), inside.Count);
    }

    private static string? Max(string? a, string? b) => a is null ? b : b is null ? a : CodePointOrder.Instance.Compare(a, b) >= 0 ? a : b;

    /// <summary>The background half of indexing: a round shortly after appends, so queries rarely find much to catch up.</summary>
    private async Task IndexInBackgroundAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await _indexer.Fed.WaitAsync(stopping).ConfigureAwait(false);
                // Waiting a little gathers many batches into one round: a few rows per session instead of a few per batch.
                // A round's worth waiting ends the wait early: waiting longer would not make that round take more.
                await _indexer.RoundFull.WaitAsync(IndexRoundDelay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            await IndexOnceAsync(CancellationToken.None).ConfigureAwait(false);
        }
        await IndexOnceAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// How long the background rounds wait after appends, unless a round's worth of events is waiting first. A second
    /// gathers each busy session's events into one row per round (queries catch up themselves, so this only decides how
    /// much a query might find to do): at 200 sessions and 5,000 events/s, 25 events share a row's costs. Settable so
    /// tests can hold rounds back.
    /// </summary>
    internal TimeSpan IndexRoundDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// One catch-up. A failure (database full or locked) only delays the index: appends do not need it, and every query
    /// runs the same catch-up first and reports the failure to its caller.
    /// </summary>
    private async Task IndexOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync((connection, _) =>
            {
                CatchUp(connection);
                return Task.FromResult(0);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerStoreException)
        {
            // reported by the next query, which retries it
        }
    }
}
