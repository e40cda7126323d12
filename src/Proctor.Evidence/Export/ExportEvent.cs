using System.Text.Json;
using Proctor.Ledger.Events;

namespace Proctor.Evidence.Export;

/// <summary>
/// The <c>evidence.export</c> event the CLI, the REST API and the console record after an export: who asked, the
/// period, the filters, what the package covers and its SHA-256, so a package handed over can be matched to its record.
/// </summary>
public static class ExportEvent
{
    public static LedgerEvent Create(EventActor actor, ExportRequest request, ExportSummary summary, string via, TimeProvider time) => new()
    {
        Id = EventIds.New(time),
        Kind = EventKinds.EvidenceExport,
        Time = time.GetUtcNow(),
        Actor = actor,
        Location = request.Server is null ? null : new EventLocation { Server = request.Server },
        Outcome = new EventOutcome { Status = "ok", Summary = $"{summary.EventsIncluded} events included, {summary.EventsWithheld} withheld, {summary.Bytes} bytes" },
        Details = JsonSerializer.SerializeToElement(new
        {
            from = request.From,
            to = request.To,
            server = request.Server,
            identity = request.Identity,
            first_index = summary.FirstIndex,
            end_index = summary.EndIndex,
            tree_size = summary.TreeSize,
            events_included = summary.EventsIncluded,
            events_withheld = summary.EventsWithheld,
            package_sha256 = summary.Sha256,
            via,
        }),
    };
}
