using System.Text.Json;
using Proctor.Ledger.Events;

namespace Proctor.Evidence;

/// <summary>
/// Which events of the period a package includes by content. Server: the event's upstream. Identity: the event's actor,
/// and also the approval, grant and break-glass events that name that person as requester or holder even when someone
/// else (an approver, the expiry job) acted, so a person's package shows what was decided about them.
/// </summary>
public static class ExportFilter
{
    public static bool Includes(ExportRequest request, LedgerEvent e) =>
        e.Time >= request.From && e.Time < request.To
        && (request.Server is null || e.Location?.Server == request.Server)
        && (request.Identity is null || Concerns(e, request.Identity));

    private static bool Concerns(LedgerEvent e, string identity) =>
        e.Actor?.Subject == identity
        || (e.Details is { ValueKind: JsonValueKind.Object } details && (Names(details, "requester", identity) || Names(details, "holder", identity)));

    private static bool Names(JsonElement details, string property, string identity) =>
        details.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.ValueEquals(identity);
}
