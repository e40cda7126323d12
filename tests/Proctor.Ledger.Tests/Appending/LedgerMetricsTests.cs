using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Tests.Appending;

public sealed class LedgerMetricsTests : IDisposable
{
    private static readonly TimeSpan SlowCommit = TimeSpan.FromMilliseconds(30);

    private readonly string _run = Guid.NewGuid().ToString("N");
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, string Tags)> _measured = new();
    private readonly LedgerMetrics _metrics;

    public LedgerMetricsTests()
    {
        _metrics = new LedgerMetrics([new("test.run", _run)]);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Tags?.Any(t => t.Key == "test.run" && Equals(t.Value, _run)) == true)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => _measured.Enqueue((instrument.Name, value, Tags(tags))));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => _measured.Enqueue((instrument.Name, value, Tags(tags))));
        _listener.Start();
    }

    [Fact]
    public async Task Append_SlowStore_EachAppendWaitsAtLeastItsCommitAndEachCommitCountsItsEvents()
    {
        await using (var ledger = new AuditLedger(new SlowStore(SlowCommit), new LedgerOptions { Metrics = _metrics }))
        {
            for (var i = 0; i < 3; i++)
            {
                await ledger.AppendAsync(AppendOnlyStore.Event(i));
            }
        }

        var commits = Values("proctor.ledger.commit.duration", "outcome=ok");
        var appends = Values("proctor.ledger.append.duration", "");
        Assert.Equal(3, commits.Count);
        Assert.Equal(3, appends.Count);
        Assert.All(commits, seconds => Assert.InRange(seconds, SlowCommit.TotalSeconds * 0.9, 10));
        Assert.All(appends, seconds => Assert.True(seconds >= commits.Min(), $"an append waited {seconds} s, less than a commit's {commits.Min()} s"));
        Assert.Equal([1, 1, 1], Values("proctor.ledger.commit.events", ""));
    }

    [Fact]
    public async Task Append_StoreFails_CommitCountedAsFailedAndNoAppendCountedAsDurable()
    {
        await using (var ledger = new AuditLedger(new FailingStore(), new LedgerOptions { Metrics = _metrics }))
        {
            await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(AppendOnlyStore.Event(1)));
        }

        Assert.Single(Values("proctor.ledger.commit.duration", "outcome=failed"));
        Assert.Empty(Values("proctor.ledger.commit.duration", "outcome=ok"));
        Assert.Empty(Values("proctor.ledger.append.duration", ""));
    }

    [Fact]
    public async Task Append_ManyAtOnce_CommittedEventsAddUpToTheAppends()
    {
        await using (var ledger = new AuditLedger(new SlowStore(TimeSpan.FromMilliseconds(5)), new LedgerOptions { Metrics = _metrics }))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(i => ledger.AppendAsync(AppendOnlyStore.Event(i))));
        }

        var batches = Values("proctor.ledger.commit.events", "");
        Assert.Equal(200, batches.Sum());
        Assert.True(batches.Count < 200, $"{batches.Count} commits for 200 appends made at once: no group commit was measured");
        Assert.Equal(200, Values("proctor.ledger.append.duration", "").Count);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _metrics.Dispose();
    }

    private List<double> Values(string instrument, string tags) =>
        [.. _measured.Where(m => m.Instrument == instrument && m.Tags == tags).Select(m => m.Value)];

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }
        return string.Join(",", parts);
    }

    /// <summary>Commits after <paramref name="delay"/>, as a slow disk's fsync does.</summary>
    private sealed class SlowStore(TimeSpan delay) : AppendOnlyStore
    {
        public override async Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            await Task.Delay(delay, cancellationToken);
            return Sequence(drafts);
        }
    }

    private sealed class FailingStore : AppendOnlyStore
    {
        public override Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken) =>
            throw new LedgerStoreException("database or disk is full");
    }
}
