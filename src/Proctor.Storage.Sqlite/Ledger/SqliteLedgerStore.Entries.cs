using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger;

public sealed partial class SqliteLedgerStore
{
    public Task<IReadOnlyList<LedgerEntry>> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<LedgerEntry>>(async (connection, ct) =>
        {
            // BEGIN IMMEDIATE takes the write lock before reading the next index, so no other writer can take it too.
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, ct).ConfigureAwait(false);
            var next = await NextIndexAsync(connection, transaction, ct).ConfigureAwait(false);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                INSERT INTO entries (idx, event_id, kind, time_ms, session_id, subject, issuer, server, body, leaf_hash)
                VALUES ($idx, $id, $kind, $time, $session, $subject, $issuer, $server, $body, $leaf)
                """;
            var parameters = new[] { "$idx", "$id", "$kind", "$time", "$session", "$subject", "$issuer", "$server", "$body", "$leaf" }
                .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            var entries = new LedgerEntry[drafts.Count];
            for (var i = 0; i < drafts.Count; i++)
            {
                var draft = drafts[i];
                var entry = LedgerEntry.Seal(next + i, draft.CanonicalEvent);
                object?[] values = [entry.Index, draft.EventId, draft.Kind, Milliseconds(draft.Time), draft.SessionId, draft.Subject, draft.Issuer, draft.Server, entry.Bytes, entry.LeafHash];
                for (var p = 0; p < values.Length; p++)
                {
                    parameters[p].Value = values[p] ?? DBNull.Value;
                }
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                entries[i] = entry;
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
