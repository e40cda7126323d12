using Proctor.Evidence.Reports;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Export;

public sealed record EvidenceExporterOptions
{
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Written into package.json, so an examiner knows which release made the package.</summary>
    public string GatewayVersion { get; init; } = "unknown";

    /// <summary>
    /// A fresh set of reports for each export (they accumulate what they observe); null: a package without reports.
    /// </summary>
    public Func<IEvidenceReports>? Reports { get; init; }

    /// <summary>
    /// Signs a checkpoint over the ledger as it stands, when none covers the period's end yet (decision 0046); null: such
    /// an export fails and says how to get one.
    /// </summary>
    public Func<CancellationToken, Task<StoredCheckpoint?>>? SignCheckpoint { get; init; }
}
