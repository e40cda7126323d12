using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;

namespace Proctor.Bench.Micro.Ledger.Baseline;

/// <summary>
/// The store before the log (commit ea90fbc), kept here only so one BenchmarkDotNet run measures before and after
/// side by side: every entry a row of one SQLite table with four secondary indexes, WAL, synchronous=FULL, one
/// transaction per batch with a prepared INSERT. Appends and reads as it did; checkpoints as plain rows.
/// </summary>
internal sealed class RowLedgerStore : IEntryStore, ICheckpointStore, IAsyncDisposable
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = FULL;
        CREATE TABLE IF NOT EXISTS entries (
            idx INTEGER PRIMARY KEY, event_id TEXT NOT NULL, kind TEXT NOT NULL, time_ms INTEGER NOT NULL,
            session_id TEXT, subject TEXT, issuer TEXT, server TEXT, body BLOB, leaf_hash BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS entries_event_id ON entries(event_id);
        CREATE INDEX IF NOT EXISTS entries_session ON entries(session_id, idx) WHERE session_id IS NOT NULL;
        CREATE INDEX IF NOT EXISTS entries_subject_time ON entries(subject, time_ms);
        CREATE INDEX IF NOT EXISTS entries_time ON entries(time_ms);
        CREATE TABLE IF NOT EXISTS checkpoints (id INTEGER PRIMARY KEY, tree_size INTEGER NOT NULL, note TEXT NOT NULL, signed_ms INTEGER NOT NULL);
        """;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter[] _parameters;

    private RowLedgerStore(SqliteConnection connection)
    {
        _connection = connection;
        _insert = connection.CreateCommand();
        _insert.CommandText = """
            INSERT INTO entries (idx, event_id, kind, time_ms, session_id, subject, issuer, server, body, leaf_hash)
            VALUES ($idx, $id, $kind, $time, $session, $subject, $issuer, $server, $body, $leaf)
            """;
        _parameters = [.. new[] { "$idx", "$id", "$kind", "$time", "$session", "$subject", "$issuer", "$server", "$body", "$leaf" }
            .Select(name => _insert.Parameters.Add(new SqliteParameter { ParameterName = name }))];
        _insert.Prepare();
    }

    public static RowLedgerStore Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var schema = connection.CreateCommand();
        schema.CommandText = Schema;
        schema.ExecuteNonQuery();
        return new RowLedgerStore(connection);
    }

    public async Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellationToken);
            var next = await SizeAsync(transaction, cancellationToken);
            _insert.Transaction = transaction;
            var leaves = new byte[drafts.Count][];
            for (var i = 0; i < drafts.Count; i++)
            {
                var entry = LedgerEntry.Seal(next + i, drafts[i].CanonicalEvent.Span);
                var d = drafts[i];
                _parameters[0].Value = entry.Index;
                _parameters[1].Value = d.EventId;
                _parameters[2].Value = d.Kind;
                _parameters[3].Value = d.Time.ToUnixTimeMilliseconds();
                _parameters[4].Value = (object?)d.SessionId ?? DBNull.Value;
                _parameters[5].Value = (object?)d.Subject ?? DBNull.Value;
                _parameters[6].Value = (object?)d.Issuer ?? DBNull.Value;
                _parameters[7].Value = (object?)d.Server ?? DBNull.Value;
                _parameters[8].Value = entry.Bytes;
                _parameters[9].Value = entry.LeafHash;
                await _insert.ExecuteNonQueryAsync(cancellationToken);
                leaves[i] = entry.LeafHash;
            }
            await transaction.CommitAsync(cancellationToken);
            return new AppendedBatch(next, leaves);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<long> GetSizeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await SizeAsync(null, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> SizeAsync(SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COALESCE(MAX(idx) + 1, 0) FROM entries";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = "SELECT idx, body, leaf_hash FROM entries WHERE idx >= $start ORDER BY idx LIMIT $count";
            command.Parameters.AddWithValue("$start", start);
            command.Parameters.AddWithValue("$count", count);
            var entries = new List<LedgerEntry>(count);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                entries.Add(new LedgerEntry(reader.GetInt64(0), reader.IsDBNull(1) ? null : (byte[])reader[1], (byte[])reader[2]));
            }
            return entries;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) =>
        [.. (await ReadEntriesAsync(start, count, cancellationToken)).Select(e => e.LeafHash)];

    public Task<bool> TryAcquireIntegratorLeaseAsync(string node, TimeSpan duration, CancellationToken cancellationToken) => Task.FromResult(true);

    public async Task AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO checkpoints (tree_size, note, signed_ms) VALUES ($size, $note, 0)";
        command.Parameters.AddWithValue("$size", checkpoint.TreeSize);
        command.Parameters.AddWithValue("$note", checkpoint.Note);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken) =>
        (await ReadCheckpointsAsync(cancellationToken)).LastOrDefault();

    public async Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT tree_size, note FROM checkpoints ORDER BY id";
        var checkpoints = new List<StoredCheckpoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            checkpoints.Add(new StoredCheckpoint(reader.GetInt64(0), reader.GetString(1), DateTimeOffset.UnixEpoch));
        }
        return checkpoints;
    }

    public async ValueTask DisposeAsync()
    {
        _insert.Dispose();
        await _connection.DisposeAsync();
        _gate.Dispose();
    }
}
