using Microsoft.Data.Sqlite;
using Proctor.Mcp.Pinning;
using Proctor.Storage.Sqlite.Files;

namespace Proctor.Storage.Sqlite.ToolPins;

/// <summary>
/// Pinned tool definitions in the gateway's SQLite database (table <c>tool_pins</c>), in WAL mode so the gateway and
/// <c>proctor tools accept</c> do not block each other. Only fingerprints are stored, never the definitions.
/// </summary>
public sealed class SqliteToolPinStore : IToolPinStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS tool_pins (
            server       TEXT NOT NULL,
            tool         TEXT NOT NULL,
            fingerprint  TEXT NOT NULL,
            pinned_at    INTEGER NOT NULL,
            pinned_by    TEXT NOT NULL,
            seen         TEXT,
            seen_at      INTEGER,
            PRIMARY KEY (server, tool)
        );
        """;

    private const string Columns = "server, tool, fingerprint, pinned_at, pinned_by, seen, seen_at";

    private readonly GatewayTable _table;

    public SqliteToolPinStore(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _table = new GatewayTable(Path.GetFullPath(path), Schema);
    }

    public async Task<IReadOnlyList<ToolPin>> ListAsync(string server, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (connection is null)
        {
            return [];
        }

        await using var command = Command(connection, $"SELECT {Columns} FROM tool_pins WHERE server = $server ORDER BY tool", server);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var pins = new List<ToolPin>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            pins.Add(Read(reader));
        }

        return pins;
    }

    public async Task<ToolPin?> FindAsync(string server, string tool, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        return connection is null ? null : await FindAsync(connection, server, tool, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ToolPin> PinAsync(string server, string tool, string fingerprint, string pinnedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: true, cancellationToken).ConfigureAwait(false);
        await using (var insert = Command(connection!, "INSERT INTO tool_pins (server, tool, fingerprint, pinned_at, pinned_by) VALUES ($server, $tool, $fingerprint, $at, $by) ON CONFLICT DO NOTHING", server, tool))
        {
            insert.Parameters.AddWithValue("$fingerprint", fingerprint);
            insert.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$by", pinnedBy);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (await FindAsync(connection!, server, tool, cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<bool> NoteChangeAsync(string server, string tool, string fingerprint, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: true, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection!, """
            UPDATE tool_pins SET seen = $fingerprint, seen_at = $at
            WHERE server = $server AND tool = $tool AND fingerprint <> $fingerprint AND (seen IS NULL OR seen <> $fingerprint)
            """, server, tool);
        command.Parameters.AddWithValue("$fingerprint", fingerprint);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<ToolPinAcceptance> AcceptAsync(string server, string tool, string seen, string acceptedBy, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(create: false, cancellationToken).ConfigureAwait(false);
        var pin = connection is null ? null : await FindAsync(connection, server, tool, cancellationToken).ConfigureAwait(false);
        if (pin is null)
        {
            throw new ToolPinStoreException($"Tool '{tool}' on server '{server}' is not pinned: the gateway pins a tool when it first lists it. Check the names (server as in the configuration's upstreams, tool as the upstream names it) with 'proctor tools list'.");
        }

        await using var command = Command(connection!, """
            UPDATE tool_pins SET fingerprint = seen, pinned_at = $at, pinned_by = $by, seen = NULL, seen_at = NULL
            WHERE server = $server AND tool = $tool AND seen = $seen
            """, server, tool);
        command.Parameters.AddWithValue("$seen", seen);
        command.Parameters.AddWithValue("$at", at.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$by", acceptedBy);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new ToolPinStoreException(pin.Seen is null
                ? $"Tool '{tool}' on server '{server}' has no changed definition waiting: the definition in force ({pin.Fingerprint}) is the one the upstream offers."
                : $"Tool '{tool}' on server '{server}' changed again while it was being accepted (now {pin.Seen}); run the command again to accept the latest definition.");
        }

        return new ToolPinAcceptance(server, tool, pin.Fingerprint, seen);
    }

    private static async Task<ToolPin?> FindAsync(SqliteConnection connection, string server, string tool, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {Columns} FROM tool_pins WHERE server = $server AND tool = $tool", server, tool);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static SqliteCommand Command(SqliteConnection connection, string text, string server, string? tool = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = text;
        command.Parameters.AddWithValue("$server", server);
        if (tool is not null)
        {
            command.Parameters.AddWithValue("$tool", tool);
        }

        return command;
    }

    private Task<SqliteConnection?> OpenAsync(bool create, CancellationToken cancellationToken) => _table.OpenAsync(create, cancellationToken);

    private static ToolPin Read(SqliteDataReader reader) => new(
        reader.GetString(0),
        reader.GetString(1),
        reader.GetString(2),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.IsDBNull(6) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)));
}
