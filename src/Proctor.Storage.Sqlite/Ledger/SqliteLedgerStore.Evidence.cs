using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger.Index;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    /// <summary>
    /// Rows wholly inside the period give their first and last index directly; only the rows straddling an edge (a few
    /// sessions active at that instant) are unpacked, so finding a period costs the same for a day as for a year.
    /// </summary>
    public Task<(long First, long End)> FindPeriodAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        RunAsync((connection, _) =>
        {
            CatchUp(connection);
            var (fromMs, toMs) = (Milliseconds(from), Milliseconds(to));
            var first = long.MaxValue;
            var last = long.MinValue;
            foreach (var row in IndexTables.ReadRows(connection, null, "first_ms >= $from AND last_ms < $to", ("$from", fromMs), ("$to", toMs)))
            {
                first = Math.Min(first, row.FirstIndex);
                last = Math.Max(last, row.Unpack().Max(e => e.Index));
            }
            foreach (var row in IndexTables.ReadRows(connection, null, "first_ms < $to AND last_ms >= $from AND (first_ms < $from OR last_ms >= $to)", ("$from", fromMs), ("$to", toMs)))
            {
                foreach (var e in row.Unpack())
                {
                    if (e.TimeMs >= fromMs && e.TimeMs < toMs)
                    {
                        first = Math.Min(first, e.Index);
                        last = Math.Max(last, e.Index);
                    }
                }
            }
            var size = Explained(_log.Size);
            return Task.FromResult(first == long.MaxValue ? (size, size) : (first, last + 1));
        }, cancellationToken);

    public async Task<StoredCheckpoint?> FindCheckpointAsync(long treeSize, bool atMost, CancellationToken cancellationToken) =>
        (await ReadCheckpointsAsync(atMost ? $"WHERE tree_size <= {treeSize} ORDER BY tree_size DESC, id DESC LIMIT 1" : $"WHERE tree_size >= {treeSize} ORDER BY tree_size, id LIMIT 1", cancellationToken).ConfigureAwait(false))
            .FirstOrDefault();

    public Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsSignedAsync(DateTimeOffset from, DateTimeOffset to, TimeSpan spacing, CancellationToken cancellationToken)
    {
        var (fromMs, toMs, slotMs) = (Milliseconds(from), Milliseconds(to), Math.Max(1, (long)spacing.TotalMilliseconds));
        return ReadCheckpointsAsync($"""
            WHERE id IN (SELECT MIN(id) FROM checkpoints WHERE signed_ms >= {fromMs} AND signed_ms < {toMs} GROUP BY signed_ms / {slotMs})
            ORDER BY id
            """, cancellationToken);
    }
}
