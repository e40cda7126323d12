using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Retention;

/// <summary>
/// Retention (AU-11): drops the payloads of events older than a cutoff, except those under a legal hold, and keeps
/// every leaf hash so the tree and its checkpoints still verify. Each hold and each purge is itself recorded first:
/// if the ledger cannot record it, it does not happen.
/// </summary>
public sealed class PayloadPurger(AuditLedger ledger, IRetentionStore store, TimeProvider time)
{
    public async Task<LedgerReceipt> PlaceHoldAsync(HoldScope scope, string value, string reason, EventActor actor, CancellationToken cancellationToken)
    {
        var hold = new LegalHold(scope, value, reason, time.GetUtcNow());
        var details = new JsonObject { ["scope"] = scope.ToString().ToLowerInvariant(), ["value"] = value, ["reason"] = reason };
        var receipt = await ledger.AppendAsync(Event(EventKinds.LedgerHold, actor, details), cancellationToken).ConfigureAwait(false);
        await store.AddHoldAsync(hold, cancellationToken).ConfigureAwait(false);
        return receipt;
    }

    /// <param name="retention">The configured retention that set <paramref name="before"/>, if one did; recorded with the purge.</param>
    public async Task<PurgeResult> PurgeAsync(DateTimeOffset before, EventActor actor, CancellationToken cancellationToken, string? retention = null)
    {
        var holds = await store.ReadHoldsAsync(cancellationToken).ConfigureAwait(false);
        var planned = await store.CountPurgeableAsync(before, cancellationToken).ConfigureAwait(false);
        var details = new JsonObject
        {
            ["before"] = before.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["planned_count"] = planned,
            ["holds"] = new JsonArray(holds.Select(h => (JsonNode)new JsonObject { ["scope"] = h.Scope.ToString().ToLowerInvariant(), ["value"] = h.Value }).ToArray()),
        };
        if (retention is not null)
        {
            details["retention"] = retention;
        }

        var receipt = await ledger.AppendAsync(Event(EventKinds.LedgerPurge, actor, details), cancellationToken).ConfigureAwait(false);
        // Only what the event preceded: a cutoff at or past now must not purge the purge's own record, nor events
        // appended after it that its planned count never saw.
        var purged = await store.PurgeAsync(before, receipt.Index, cancellationToken).ConfigureAwait(false);
        return new PurgeResult(purged, receipt);
    }

    private LedgerEvent Event(string kind, EventActor actor, JsonObject details) => new()
    {
        Id = EventIds.New(time),
        Kind = kind,
        Time = time.GetUtcNow(),
        Actor = actor,
        Details = JsonSerializer.SerializeToElement(details, RetentionJsonContext.Default.JsonObject),
    };
}

public sealed record PurgeResult(long PurgedEntries, LedgerReceipt PurgeEvent);

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class RetentionJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
