using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The events a gateway's ledger holds, read from its database as an examiner would (read-only).</summary>
internal static class LedgerEvents
{
    public static async Task<List<JsonObject>> ReadAsync(string database, string? kind = null)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = kind is null
            ? "SELECT CAST(body AS TEXT) FROM entries ORDER BY idx"
            : "SELECT CAST(body AS TEXT) FROM entries WHERE kind = $kind ORDER BY idx";
        command.Parameters.AddWithValue("$kind", kind ?? "");
        var events = new List<JsonObject>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(JsonNode.Parse(reader.GetString(0))!["event"]!.AsObject());
        }

        return events;
    }

    /// <summary>Holds the database's write lock, as another process would, until disposed: the gateway cannot commit meanwhile.</summary>
    public static async Task<IAsyncDisposable> LockAsync(string database)
    {
        var locker = new SqliteConnection($"Data Source={database};Pooling=False");
        await locker.OpenAsync();
        await using var exclusive = locker.CreateCommand();
        exclusive.CommandText = "BEGIN EXCLUSIVE";
        await exclusive.ExecuteNonQueryAsync();
        return locker;
    }

    public static string Reason(JsonObject ledgerEvent) => (string?)ledgerEvent["decision"]?["reason_code"] ?? "";

    public static string Method(JsonObject ledgerEvent) => (string?)ledgerEvent["action"]?["method"] ?? "";

    public static string Server(JsonObject ledgerEvent) => (string?)ledgerEvent["location"]?["server"] ?? "";
}
