using System.Text.Json;
using Microsoft.Data.Sqlite;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.Files;

namespace Proctor.Storage.Sqlite.AgentKeys;

/// <summary>
/// Agent keys in the gateway's SQLite database (table <c>agent_keys</c>), opened in WAL mode so the
/// gateway can read while <c>proctor keys</c> writes. Only SHA-256 hashes of keys are stored.
/// <para>
/// The gateway opens the store read-only in effect: lookups against a database file that does not exist
/// yet find nothing and create nothing; the file and table are created by the first <see cref="AddAsync"/>.
/// </para>
/// </summary>
public sealed class SqliteAgentKeyStore : IAgentKeyStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS agent_keys (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            key_hash    BLOB NOT NULL UNIQUE,
            groups      TEXT NOT NULL,
            created_at  INTEGER NOT NULL,
            expires_at  INTEGER NOT NULL,
            revoked_at  INTEGER
        );
        CREATE UNIQUE INDEX IF NOT EXISTS agent_keys_active_name ON agent_keys(name) WHERE revoked_at IS NULL;
        """;

    private const string Columns = "id, name, groups, created_at, expires_at, revoked_at, key_hash";

    private readonly string _path;
    private readonly GatewayTable _table;

    public SqliteAgentKeyStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = Path.GetFullPath(path);
        _table = new GatewayTable(_path, Schema);
    }

    public string DatabasePath => _path;

    public async Task AddAsync(AgentKey key, byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: true, cancellationToken).ConfigureAwait(false);
        await using var command = connection!.CreateCommand();
        command.CommandText = "INSERT INTO agent_keys (id, name, key_hash, groups, created_at, expires_at, revoked_at) VALUES ($id, $name, $hash, $groups, $created, $expires, NULL)";
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$hash", keyHash);
        command.Parameters.AddWithValue("$groups", JsonSerializer.Serialize(key.Groups));
        command.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", key.ExpiresAt.ToUnixTimeMilliseconds());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19) // SQLITE_CONSTRAINT
        {
            throw new AgentKeyStoreException($"An agent key named '{key.Name}' already exists and is not revoked; choose another name or revoke it first ('proctor keys revoke {key.Name}').");
        }
    }

    public async Task<(AgentKey Key, byte[] StoredHash)?> FindByHashAsync(byte[] keyHash, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return null;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM agent_keys WHERE key_hash = $hash";
        command.Parameters.AddWithValue("$hash", keyHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (Read(reader), (byte[])reader[6]) : null;
    }

    public async Task<IReadOnlyList<AgentKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return [];
        }

        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM agent_keys ORDER BY created_at, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<AgentKey>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public async Task<AgentKey> RevokeAsync(string nameOrId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false)
            ?? throw new AgentKeyStoreException($"No agent key is named '{nameOrId}' (the database {_path} does not exist yet); see 'proctor keys list'.");
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE agent_keys SET revoked_at = $at
            WHERE revoked_at IS NULL AND (id = $key OR name = $key)
            RETURNING {Columns}
            """;
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$key", nameOrId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return Read(reader);
        }

        throw new AgentKeyStoreException($"No unrevoked agent key is named or has the id '{nameOrId}'; see 'proctor keys list'.");
    }

    private Task<SqliteConnection?> OpenAsync(bool create, CancellationToken cancellationToken) => _table.OpenAsync(create, cancellationToken);

    private static AgentKey Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        JsonSerializer.Deserialize<string[]>(reader.GetString(2)) ?? [],
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
        reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)));
}
