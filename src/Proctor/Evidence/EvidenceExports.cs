using System.Reflection;
using Proctor.Evidence.Export;
using Proctor.Evidence.Reports;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence;

/// <summary>
/// The one way the CLI and the gateway build the evidence exporter and record an export, so both make the same package
/// and the same <c>evidence.export</c> event.
/// </summary>
internal static class EvidenceExports
{
    public static string GatewayVersion { get; } =
        typeof(EvidenceExports).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <param name="checkpointer">Signs a checkpoint when none covers the period's end yet (decision 0046).</param>
    /// <param name="settings">The configuration in force, as the reports state it (masking rules, retention).</param>
    public static EvidenceExporter Exporter(ILedgerStore store, ICheckpointSigner signer, Checkpointer checkpointer, ReportSettings settings, TimeProvider time) =>
        new(store, signer, new EvidenceExporterOptions
        {
            Time = time,
            GatewayVersion = GatewayVersion,
            SignCheckpoint = checkpointer.CheckpointAsync,
            Reports = () => new EvidenceReports(settings),
        });

    /// <summary>Records who exported what, after the package is complete (its SHA-256 is known only then).</summary>
    public static Task RecordAsync(AuditLedger ledger, EventActor actor, ExportRequest request, ExportSummary summary, string via, TimeProvider time, CancellationToken cancellationToken) =>
        ledger.AppendAsync(ExportEvent.Create(actor, request, summary, via, time), cancellationToken);
}
