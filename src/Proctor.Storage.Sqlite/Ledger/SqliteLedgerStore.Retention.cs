using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger.Index;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    /// <summary>Index rows that may hold purgeable events: some kept, some older than the cutoff, under no hold.</summary>
    private const string Purgeable = """
        kept > 0 AND first_ms < $before
        AND NOT EXISTS (SELECT 1 FROM legal_holds h WHERE (h.scope = 'session' AND h.value = ledger_events.session_id)
                                                     OR (h.scope = 'subject' AND h.value = ledger_events.subject))
        """;

    /// <summary>Rows taken per purge round: bounds memory however much is past retention.</summary>
    private const int PurgeRows = 512;

    public Task AddHoldAsync(LegalHold hold, CancellationToken cancellationToken) =>
        RunAsync(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT OR REPLACE INTO legal_holds (scope, value, reason, placed_ms) VALUES ($scope, $value, $reason, $placed)";
            command.Parameters.AddWithValue("$scope", hold.Scope.ToString().ToLowerInvariant());
            command.Parameters.AddWithValue("$value", hold.Value);
            command.Parameters.AddWithValue("$reason", hold.Reason);
            command.Parameters.AddWithValue("$placed", Milliseconds(hold.PlacedAt));
            return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    public Task<IReadOnlyList<LegalHold>> ReadHoldsAsync(CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LegalHold>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT scope, value, reason, placed_ms FROM legal_holds ORDER BY placed_ms";
            var holds = new List<LegalHold>();
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                var scope = reader.GetString(0) == "session" ? HoldScope.Session : HoldScope.Subject;
                holds.Add(new LegalHold(scope, reader.GetString(1), reader.GetString(2), Time(reader.GetInt64(3))));
            }
            return holds;
        }, cancellationToken);

    /// <summary>
    /// Drops payloads in the log (each frame rewritten in place, its leaf hashes kept) and the events' subjects in the
    /// index, a bounded number of index rows at a time. Each round marks the index inside the log's redo-logged round,
    /// so after a crash the two agree.
    /// </summary>
    public Task<long> PurgeAsync(DateTimeOffset before, long belowIndex, CancellationToken cancellationToken) =>
        RunAsync((connection, _) =>
        {
            CatchUp(connection);
            var cutoff = Milliseconds(before);
            long purged = 0, after = 0;
            while (true)
            {
                var rows = IndexTables.ReadRows(connection, null, $"{Purgeable} AND first_idx < $below AND rowid > $after ORDER BY rowid LIMIT {PurgeRows}",
                    ("$before", cutoff), ("$below", belowIndex), ("$after", after));
                if (rows.Count == 0)
                {
                    break;
                }
                after = rows[^1].RowId;
                var due = rows.SelectMany(row => row.Unpack()).Where(e => !e.Purged && e.TimeMs < cutoff && e.Index < belowIndex).Select(e => e.Index).Order().ToList();
                purged += PurgeInLog(connection, due);
            }
            return Task.FromResult(purged);
        }, cancellationToken);

    public Task<long> CountPurgeableAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        RunAsync((connection, _) =>
        {
            CatchUp(connection);
            var cutoff = Milliseconds(before);
            var count = IndexTables.ReadRows(connection, null, Purgeable, ("$before", cutoff))
                .Sum(row => (long)row.Unpack().Count(e => !e.Purged && e.TimeMs < cutoff));
            return Task.FromResult(count);
        }, cancellationToken);

    private long PurgeInLog(SqliteConnection connection, List<long> indexes)
    {
        if (indexes.Count == 0)
        {
            return 0;
        }
        var frames = new List<(FrameLocation Frame, HashSet<long> Indexes)>();
        var next = 0;
        foreach (var frame in IndexTables.FramesBetween(connection, indexes[0], indexes[^1]))
        {
            var inFrame = new HashSet<long>();
            while (next < indexes.Count && indexes[next] < frame.EndIndex)
            {
                if (indexes[next] >= frame.FirstIndex)
                {
                    inFrame.Add(indexes[next]);
                }
                next++;
            }
            if (inFrame.Count > 0)
            {
                frames.Add((frame, inFrame));
            }
        }
        long purged = 0;
        Explained(() =>
        {
            _log.Purge(frames, dropped =>
            {
                using var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable);
                IndexTables.MarkPurged(connection, transaction, dropped);
                transaction.Commit();
                purged += dropped.Count;
            });
            return 0;
        });
        return purged;
    }
}
