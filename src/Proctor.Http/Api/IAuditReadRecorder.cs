using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Api;

/// <summary>
/// Records that an auditor read the ledger (kind <c>audit.read</c>): who, and which request. A read MUST NOT be
/// served unless this completed, so examining the evidence leaves evidence too (AU-9: access to audit information).
/// Throws <see cref="Proctor.Ledger.Storage.LedgerUnavailableException"/> when the ledger cannot take the record.
/// </summary>
internal interface IAuditReadRecorder
{
    ValueTask RecordReadAsync(Caller caller, string method, string path, string? query, CancellationToken cancellationToken);
}
