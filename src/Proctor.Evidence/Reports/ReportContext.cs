using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Reports;

/// <summary>
/// What the exporter knows when the reports are written: the period and filters asked for, the ledger indexes
/// [FirstIndex, EndIndex) the period spans, how many events are included by content, the signed checkpoint the package
/// is verified against, and a way to read one session's events (for transcripts, filtered to the period by the reports).
/// </summary>
public sealed record ReportContext(
    ExportRequest Request,
    long FirstIndex,
    long EndIndex,
    long EventsIncluded,
    StoredCheckpoint Checkpoint,
    string KeyId,
    Func<string, CancellationToken, Task<IReadOnlyList<EventRecord>>> ReadSession);
