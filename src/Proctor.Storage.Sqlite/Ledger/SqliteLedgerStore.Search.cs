using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger.Index;

namespace Proctor.Storage.Sqlite.Ledger;

/// <summary>
/// The audit search over single events (decision 0054): identity, server and time narrow the index rows; tool and
/// outcome are not index columns, so they are matched on the events themselves, read from the log within a bound.
/// </summary>
public sealed partial class SqliteLedgerStore
{
    /// <summary>Index rows one page reads at most; rows hold a session's events of one indexing round.</summary>
    private const int SearchRowBound = 1_000;

    /// <summary>Events one page reads from the log at most when matching tool or outcome.</summary>
    private const int SearchReadBound = 5_000;

    private const int SearchReadChunk = 256;

    public Task<EventPage> SearchEventsAsync(EventSearch search, CancellationToken cancellationToken) =>
        RunAsync((connection, _) =>
        {
            CatchUp(connection);
            var from = search.From is { } f ? Milliseconds(f) : long.MinValue;
            var to = search.To is { } t ? Milliseconds(t) : long.MaxValue;
            var before = search.Before ?? long.MaxValue;
            var limit = Math.Clamp(search.Limit, 1, SearchRowBound);
            var rows = IndexTables.ReadRows(connection, null, """
                first_idx < $before AND ($subject IS NULL OR subject = $subject) AND ($server IS NULL OR server = $server)
                AND last_ms >= $from AND first_ms < $to ORDER BY last_idx DESC LIMIT $rows
                """, ("$before", before), ("$subject", search.Subject), ("$server", search.Server), ("$from", from), ("$to", to), ("$rows", SearchRowBound))
                .Select(row => row.Unpack()).ToList();

            // Rows come by their last index, so every event at or above the smallest last index read is among them;
            // below it, only the next page can tell.
            long? complete = rows.Count == SearchRowBound ? rows.Min(events => events.Max(e => e.Index)) : null;
            var candidates = rows.SelectMany(events => events)
                .Where(e => e.Index < before && e.Index >= (complete ?? long.MinValue) && e.TimeMs >= from && e.TimeMs < to)
                .OrderByDescending(e => e.Index).ToList();
            return Task.FromResult(search.Tool is null && search.Outcome is null
                ? Page(Records(connection, [.. candidates.Take(limit)]), limit, candidates.Count, complete)
                : Matching(connection, candidates, search, limit, complete));
        }, cancellationToken);

    private static EventPage Page(List<EventRecord> events, int limit, int candidates, long? complete) =>
        new(events, events.Count == limit && candidates > limit ? events[^1].Index : complete);

    /// <summary>The candidates whose tool and outcome match, read from the log a chunk at a time until the page or the bound is full.</summary>
    private EventPage Matching(Microsoft.Data.Sqlite.SqliteConnection connection, List<IndexedEvent> candidates, EventSearch search, int limit, long? complete)
    {
        var matched = new List<EventRecord>();
        for (var read = 0; read < candidates.Count; read += SearchReadChunk)
        {
            if (read >= SearchReadBound)
            {
                return new EventPage(matched, candidates[read - 1].Index);
            }

            var chunk = candidates.Skip(read).Take(SearchReadChunk).Where(e => !e.Purged).ToList();
            foreach (var record in Records(connection, chunk))
            {
                var parsed = record.Parse()!;
                if ((search.Tool is null || parsed.Action?.Name == search.Tool) && (search.Outcome is null || parsed.Outcome?.Status == search.Outcome))
                {
                    matched.Add(record);
                    if (matched.Count == limit)
                    {
                        return new EventPage(matched, record.Index);
                    }
                }
            }
        }

        return new EventPage(matched, complete);
    }
}
