using Microsoft.Data.Sqlite;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Files;

namespace Proctor.Storage.Sqlite.Ledger;

/// <summary>
/// The ledger in one SQLite file, single node: WAL journal with synchronous=FULL, so a committed batch survives power
/// loss, and one writer connection. After any failure the connection is dropped and the next call reopens it, which
/// is how appends recover once a full disk or a lock clears.
/// </summary>
public sealed partial class SqliteLedgerStore : ILedgerStore
{
    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    private SqliteLedgerStore(string path, TimeSpan busyTimeout)
    {
        _path = path;
        _busyTimeout = busyTimeout;
    }

    // SQLite's default max_page_count (sqlite.org/pragma.html#pragma_max_page_count).
    private const long NoPageCap = 1_073_741_823;
    private long? _appliedPageCap;

    /// <summary>Caps the file at this many pages (PRAGMA max_page_count) from the next call on; null for no cap. Lets tests fill the "disk".</summary>
    internal long? MaxPageCount { get; set; }

    /// <summary>Opens (creating if needed, owner-only: <see cref="OwnerOnlyDatabase"/>) the ledger database at <paramref name="path"/> and its schema.</summary>
    public static async Task<SqliteLedgerStore> OpenAsync(string path, TimeSpan? busyTimeout = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path))
        {
            OwnerOnlyDatabase.Create(path);
        }

        var store = new SqliteLedgerStore(Path.GetFullPath(path), busyTimeout ?? TimeSpan.FromSeconds(5));
        await store.RunAsync(static (_, _) => Task.FromResult(0), cancellationToken).ConfigureAwait(false);
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        _insert?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        _gate.Dispose();
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
            _appliedPageCap = null;
            await DropConnectionAsync().ConfigureAwait(false);
            throw SqliteFailures.Explain(failure, _path, _busyTimeout);
        }
        catch
        {
            _appliedPageCap = null;
            await DropConnectionAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task DropConnectionAsync()
    {
        _insert?.Dispose();
        _insert = null;
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
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(_busyTimeout.TotalSeconds),
        };
        var connection = new SqliteConnection(builder.ToString());
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

    private async Task EnsureSchemaAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        if (version == LedgerSchema.Version)
        {
            return;
        }
        if (version > LedgerSchema.Version)
        {
            throw new LedgerStoreException($"The ledger database {_path} has schema version {version}, newer than this gateway's {LedgerSchema.Version}: upgrade the gateway.");
        }
        await ExecuteAsync(connection, LedgerSchema.Create, cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static long Milliseconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
