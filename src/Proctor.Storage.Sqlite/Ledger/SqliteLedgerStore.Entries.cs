using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    // Prepared once per connection: compiling the statement and building its parameters per batch cost more than
    // the insert of a small batch itself.
    private EntryInsert? _insert;

    public Task<IReadOnlyList<LedgerEntry>> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LedgerEntry>>(async (connection, ct) =>
        {
            // BEGIN IMMEDIATE takes the write lock before reading the next index, so no other writer can take it too.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct).ConfigureAwait(false);
            var next = await NextIndexAsync(connection, transaction, ct).ConfigureAwait(false);
            var insert = _insert ??= EntryInsert.Prepare(connection);
            insert.Command.Transaction = transaction;
            var entries = new LedgerEntry[drafts.Count];
            for (var i = 0; i < drafts.Count; i++)
            {
                entries[i] = LedgerEntry.Seal(next + i, drafts[i].CanonicalEvent);
                insert.Bind(drafts[i], entries[i]);
                await insert.Command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await transaction.CommitAsync(ct).ConfigureAwait(false);
            return entries;
        }, cancellationToken);

    public Task<long> GetSizeAsync(CancellationToken cancellationToken) =>
        RunAsync((connection, ct) => NextIndexAsync(connection, null, ct), cancellationToken);

    public Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LedgerEntry>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT idx, body, leaf_hash FROM entries WHERE idx >= $start ORDER BY idx LIMIT $count";
            command.Parameters.AddWithValue("$start", start);
            command.Parameters.AddWithValue("$count", count);
            var entries = new List<LedgerEntry>(count);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                entries.Add(new LedgerEntry(reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1], (byte[])reader[2]));
            }
            return entries;
        }, cancellationToken);

    public Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<byte[]>>(async (connection, ct) =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT leaf_hash FROM entries WHERE idx >= $start AND idx < $end ORDER BY idx";
            command.Parameters.AddWithValue("$start", start);
            command.Parameters.AddWithValue("$end", start + count);
            var hashes = new List<byte[]>(count);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                hashes.Add((byte[])reader[0]);
            }
            return hashes;
        }, cancellationToken);

    private static async Task<long> NextIndexAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(idx) + 1, 0) FROM entries";
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }
}
