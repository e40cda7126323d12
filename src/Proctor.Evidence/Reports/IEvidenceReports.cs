using Proctor.Evidence.Package;
using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports;

/// <summary>
/// The package's reports (access report, session transcripts, what data left, masking report, the HTML report). The
/// exporter shows them every included event once, in ledger order, then asks them to write their files.
/// </summary>
public interface IEvidenceReports
{
    void Observe(long index, LedgerEvent ledgerEvent);

    Task WriteAsync(IPackageSink sink, ReportContext context, CancellationToken cancellationToken);
}
