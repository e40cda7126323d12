using Proctor.Evidence;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Api;

/// <summary>Records an export (kind <c>evidence.export</c>: who, the period, the filters, the package's SHA-256) once the package is complete.</summary>
internal interface IEvidenceExportRecorder
{
    Task RecordExportAsync(Caller caller, ExportRequest request, ExportSummary summary, CancellationToken cancellationToken);
}
