using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Evidence;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The events a gateway's ledger holds, read from its log's files as an examiner would (read-only).</summary>
internal static class LedgerEvents
{
    public static Task<List<JsonObject>> ReadAsync(string database, string? kind = null) =>
        Task.FromResult(StoredEvents.FromLog(database)
            .Where(e => e.Event is not null && (kind is null || e.Kind == kind))
            .Select(e => e.Event!.AsObject())
            .ToList());

    /// <summary>
    /// Holds the ledger log's writer lock, as another process would, until disposed: the gateway cannot commit meanwhile.
    /// .NET takes an exclusive flock(2) for <see cref="FileShare.None"/>.
    /// </summary>
    public static Task<IAsyncDisposable> LockAsync(string database) =>
        Task.FromResult<IAsyncDisposable>(new FileStream(Path.Combine(Path.ChangeExtension(database, ".ledger"), "lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None));

    public static string Reason(JsonObject ledgerEvent) => (string?)ledgerEvent["decision"]?["reason_code"] ?? "";

    public static string Method(JsonObject ledgerEvent) => (string?)ledgerEvent["action"]?["method"] ?? "";

    public static string Server(JsonObject ledgerEvent) => (string?)ledgerEvent["location"]?["server"] ?? "";
}
