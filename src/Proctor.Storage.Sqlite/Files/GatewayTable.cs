using Microsoft.Data.Sqlite;

namespace Proctor.Storage.Sqlite.Files;

/// <summary>
/// A table of the gateway's own in its SQLite database (agent keys, tool pins, approvals): opened in WAL mode so the gateway and
/// the <c>proctor</c> commands beside it do not block each other, its schema applied on the first open. A reader against
/// a database that does not exist yet finds nothing and creates nothing; the first write creates the file owner-only
/// (0600 in a 0700 folder, as the ledger beside it).
/// </summary>
internal sealed class GatewayTable(string path, string schema)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
    private volatile bool _ready;

    /// <returns>Null when <paramref name="create"/> is false and there is no database yet.</returns>
    public async Task<SqliteConnection?> OpenAsync(bool create, CancellationToken cancellationToken)
    {
        if (!create && !_ready && !File.Exists(path))
        {
            return null;
        }

        if (create && !File.Exists(path))
        {
            OwnerOnlyDatabase.Create(path);
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!_ready)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;" + schema;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _ready = true;
        }

        return connection;
    }
}
