using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Files;
using Proctor.Storage.Sqlite.Ledger.Index;
using Proctor.Storage.Sqlite.Ledger.Log;
using Proctor.Storage.Sqlite.Ledger.Migration;

namespace Proctor.Storage.Sqlite.Ledger;

/// <summary>
/// The single-node ledger store. Entries are committed to an append-only log beside the database (<c>proctor.db</c> →
/// <c>proctor.ledger/</c>): one CRC-framed record per batch, one <c>fdatasync</c>, nothing else on the append path. The
/// SQLite database keeps the checkpoints, the legal holds and the query index (sessions, subjects, times, event ids),
/// which <see cref="LedgerIndexer"/> fills from the log in the background; every query first brings it up to the end of
/// the log. After any database failure the connection is dropped and the next call reopens it.
/// </summary>
public sealed partial class SqliteLedgerStore : ILedgerStore
{
    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LedgerLog _log;
    private readonly LedgerIndexer _indexer;
    private readonly CancellationTokenSource _stopping = new();
    private SqliteConnection? _connection;
    private Task? _indexing;
    private int _disposed;

    private SqliteLedgerStore(string path, TimeSpan busyTimeout, LogOptions logOptions)
    {
        _path = path;
        _busyTimeout = busyTimeout;
        _log = new LedgerLog(LogFolder.For(path), logOptions with { LockTimeout = busyTimeout }, SignedSize);
        _indexer = new LedgerIndexer(_log);
    }

    // SQLite's default max_page_count (sqlite.org/pragma.html#pragma_max_page_count).
    private const long NoPageCap = 1_073_741_823;
    private long? _appliedPageCap;

    /// <summary>Caps the database at this many pages (PRAGMA max_page_count) from the next call on; null for no cap. Lets tests fill the "disk".</summary>
    internal long? MaxPageCount { get; set; }

    /// <summary>Caps the log's files at this many bytes from the next new segment on; null for no cap. Lets tests fill the "disk".</summary>
    internal long? LogCapacityBytes
    {
        get => _log.CapacityBytes;
        set => _log.CapacityBytes = value;
    }

    /// <summary>The log folder, beside the database.</summary>
    public string LogFolderPath => _log.Folder;

    /// <summary>The log folder that goes with the ledger database at <paramref name="databasePath"/>, whether or not it exists yet.</summary>
    public static string LogFolderFor(string databasePath) => LogFolder.For(databasePath);

    /// <summary>What opening found and did: torn tails cut, a version-1 ledger moved into the log. For the host's log.</summary>
    public StoreRecovery Recovery { get; private set; } = new([], null);

    /// <summary>
    /// Opens (creating if needed, owner-only: <see cref="OwnerOnlyDatabase"/>) the ledger database at <paramref name="path"/>,
    /// its schema and its log folder.
    /// </summary>
    public static Task<SqliteLedgerStore> OpenAsync(string path, TimeSpan? busyTimeout = null, CancellationToken cancellationToken = default) =>
        OpenAsync(path, new LogOptions(), busyTimeout, cancellationToken);

    internal static async Task<SqliteLedgerStore> OpenAsync(string path, LogOptions logOptions, TimeSpan? busyTimeout = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            OwnerOnlyDatabase.Create(path);
        }

        var store = new SqliteLedgerStore(Path.GetFullPath(path), busyTimeout ?? TimeSpan.FromSeconds(5), logOptions);
        try
        {
            await store.RunAsync(static (_, _) => Task.FromResult(0), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        store._indexing = Task.Run(store.IndexInBackgroundAsync);
        return store;
    }

    /// <summary>
    /// What the gateway does at start, before the first call: takes the writer lock, replays an interrupted purge, finds
    /// the end of the log and cuts a torn tail (<see cref="Recovery"/> lists what was cut), then brings the index up to
    /// that end, forgetting anything indexed beyond it. Fails when the log is damaged: a ledger that cannot be trusted
    /// refuses to take new records until someone has looked.
    /// </summary>
    public Task RecoverAsync(CancellationToken cancellationToken) => RunAsync((connection, _) =>
    {
        Explained(() =>
        {
            _log.Open();
            var end = _log.Size();
            using (var transaction = connection.BeginTransaction(System.Data.IsolationLevel.Serializable))
            {
                IndexTables.TrimTo(connection, transaction, end);
                transaction.Commit();
            }
            _indexer.CatchUp(connection);
            return 0;
        });
        Recovery = Recovery with { Cuts = [.. _log.Cuts] };
        return Task.FromResult(0);
    }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_indexing is not null)
        {
            await _indexing.ConfigureAwait(false);
        }
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        _log.Dispose();
        _builder.Dispose();
        _gate.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Runs one unit of work on the connection, one at a time; any failure drops the connection and is explained.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _connection ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (_appliedPageCap != MaxPageCount)
            {
                await ExecuteAsync(_connection, $"PRAGMA max_page_count = {MaxPageCount ?? NoPageCap}", cancellationToken).ConfigureAwait(false);
                _appliedPageCap = MaxPageCount;
            }
            return await work(_connection, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException failure)
        {
            await DropConnectionAsync().ConfigureAwait(false);
            throw SqliteFailures.Explain(failure, _path, _busyTimeout);
        }
        catch
        {
            await DropConnectionAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs log work, turning I/O failures into messages that say what to do.</summary>
    private T Explained<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (Exception ex) when (LogFailures.Explain(ex, _log.Folder) is { } explained)
        {
            throw explained;
        }
    }

    private async Task DropConnectionAsync()
    {
        _appliedPageCap = null;
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite retries SQLITE_BUSY on its own until the command timeout (30 s by default), on top of
        // busy_timeout: bound it too, or a locked database would hold every call for half a minute.
        var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadWriteCreate));
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, $"""
                PRAGMA busy_timeout = {(int)_busyTimeout.TotalMilliseconds};
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                """, cancellationToken).ConfigureAwait(false);
            await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private string ConnectionString(SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = _path,
        Mode = mode,
        Pooling = false,
        DefaultTimeout = (int)Math.Ceiling(_busyTimeout.TotalSeconds),
    }.ToString();

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (version == IndexSchema.Version)
        {
            return;
        }
        if (version > IndexSchema.Version)
        {
            throw new LedgerStoreException($"The ledger database {_path} has schema version {version}, newer than this gateway's {IndexSchema.Version}: upgrade the gateway.");
        }
        if (version == SchemaV1Migration.Version)
        {
            var moved = Explained(() => SchemaV1Migration.Run(connection, _log, _path));
            Recovery = Recovery with { MigratedEntries = moved };
            return;
        }
        await ExecuteAsync(connection, IndexSchema.Create, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The size of the latest signed checkpoint, read on a connection of its own: the log asks while holding its writer
    /// lock, and must not wait for this store's connection, which an index round may hold while it waits for that lock.
    /// </summary>
    private long SignedSize()
    {
        using var connection = new SqliteConnection(ConnectionString(SqliteOpenMode.ReadOnly));
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT tree_size FROM checkpoints ORDER BY id DESC LIMIT 1), 0)";
        return (long)command.ExecuteScalar()!;
    }

    private static long Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}

/// <summary>What <see cref="SqliteLedgerStore.RecoverAsync"/> and opening did, for the host to log.</summary>
/// <param name="Cuts">Torn tails cut from the end of the log: unfinished batches no caller was told were recorded.</param>
/// <param name="MigratedEntries">Entries moved from a version-1 database into the log, when this open did that.</param>
public sealed record StoreRecovery(IReadOnlyList<TornTail> Cuts, long? MigratedEntries);

/// <summary><paramref name="Bytes"/> bytes of an unfinished batch cleared at <paramref name="Offset"/> of <paramref name="Segment"/>; the log continues at <paramref name="NextIndex"/>.</summary>
public sealed record TornTail(string Segment, long Offset, long Bytes, long NextIndex);
