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

/// <summary>The prepared INSERT of one entry with its query columns, owned by one connection.</summary>
internal sealed class EntryInsert : IDisposable
{
    private readonly SqliteParameter[] _parameters;

    private EntryInsert(SqliteCommand command, SqliteParameter[] parameters)
    {
        Command = command;
        _parameters = parameters;
    }

    public SqliteCommand Command { get; }

    public static EntryInsert Prepare(SqliteConnection connection)
    {
        var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO entries (idx, event_id, kind, time_ms, session_id, subject, issuer, server, body, leaf_hash)
            VALUES ($idx, $id, $kind, $time, $session, $subject, $issuer, $server, $body, $leaf)
            """;
        var parameters = new[] { "$idx", "$id", "$kind", "$time", "$session", "$subject", "$issuer", "$server", "$body", "$leaf" }
            .Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        command.Prepare();
        return new EntryInsert(command, parameters);
    }

    public void Bind(EntryDraft draft, LedgerEntry entry)
    {
        _parameters[0].Value = entry.Index;
        _parameters[1].Value = draft.EventId;
        _parameters[2].Value = draft.Kind;
        _parameters[3].Value = draft.Time.ToUnixTimeMilliseconds();
        _parameters[4].Value = (object?)draft.SessionId ?? DBNull.Value;
        _parameters[5].Value = (object?)draft.Subject ?? DBNull.Value;
        _parameters[6].Value = (object?)draft.Issuer ?? DBNull.Value;
        _parameters[7].Value = (object?)draft.Server ?? DBNull.Value;
        _parameters[8].Value = entry.Bytes;
        _parameters[9].Value = entry.LeafHash;
    }

    public void Dispose() => Command.Dispose();
}
