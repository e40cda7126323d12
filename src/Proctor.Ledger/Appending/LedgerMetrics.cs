using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Proctor.Ledger.Appending;

/// <summary>
/// What durability costs, as the ledger sees it (System.Diagnostics.Metrics; the gateway exports them on <c>/metrics</c>):
/// how long each append waited to be durable (what a call pays per record), how long each commit held the store (the
/// write and its <c>fdatasync</c>), and how many events a commit carried. A slow disk shows in the commit time; a
/// queue behind it, in the append wait beyond it. No tag comes from a caller.
/// </summary>
public sealed class LedgerMetrics : IDisposable
{
    public const string MeterName = "Proctor.Ledger";

    /// <summary>Seconds, from 50 µs (an <c>fdatasync</c> on a fast disk) to 5 s (a stalled one).</summary>
    public static readonly IReadOnlyList<double> DurationBuckets =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5];

    private static readonly IReadOnlyList<int> BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Meter _meter;
    private readonly Histogram<double> _append;
    private readonly Histogram<double> _commit;
    private readonly Histogram<int> _batch;

    /// <param name="tags">Tags on the meter; only for hosting several gateways in one process (the functional tests).</param>
    public LedgerMetrics(IEnumerable<KeyValuePair<string, object?>>? tags = null)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Tags = tags });
        _append = _meter.CreateHistogram("proctor.ledger.append.duration", "s", "Time from an event being appended to its being durable: what a call waits per record.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _commit = _meter.CreateHistogram("proctor.ledger.commit.duration", "s", "Time one commit held the store: the batch's write and its fdatasync, by outcome (ok, failed).",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _batch = _meter.CreateHistogram("proctor.ledger.commit.events", "{event}", "Events one commit made durable (group commit).",
            tags: null, advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
    }

    internal void RecordCommit(long startedTimestamp, int events, bool succeeded)
    {
        _commit.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new KeyValuePair<string, object?>("outcome", succeeded ? "ok" : "failed"));
        _batch.Record(events);
    }

    internal void RecordAppend(long queuedTimestamp) => _append.Record(Stopwatch.GetElapsedTime(queuedTimestamp).TotalSeconds);

    public void Dispose() => _meter.Dispose();
}
