using Proctor.Http.Api;
using Proctor.Ledger.Appending;
using Proctor.Mcp.Pipeline;

namespace Proctor.Evidence;

/// <summary>The REST API's (and the console's) <c>evidence.export</c> events: the same event the CLI records.</summary>
internal sealed class EvidenceExportRecorder(AuditLedger ledger, TimeProvider time) : IEvidenceExportRecorder
{
    public Task RecordExportAsync(Caller caller, ExportRequest request, ExportSummary summary, CancellationToken cancellationToken) =>
        EvidenceExports.RecordAsync(ledger, LedgerRecorder.ActorOf(caller, storedClientInfo: null), request, summary, "rest", time, cancellationToken);
}
