using System.Buffers;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Tests.Appending;

/// <summary>The ledger's writer: its own thread, group commit while a commit blocks, and nothing acknowledged early.</summary>
public sealed class AuditLedgerWriterTests
{
    [Fact]
    public async Task Append_FromManyThreadPoolCallers_EveryCommitRunsOnTheLedgersOwnThread()
    {
        var store = new RecordingStore();
        await using (var ledger = new AuditLedger(store))
        {
            await Task.WhenAll(Enumerable.Range(0, 200).Select(n => Task.Run(() => ledger.AppendAsync(AppendOnlyStore.Event(n)))));
        }

        Assert.NotEmpty(store.Commits);
        Assert.All(store.Commits, commit =>
        {
            Assert.False(commit.OnThreadPool);
            Assert.Equal("Proctor ledger writer", commit.ThreadName);
        });
        Assert.Single(store.Commits.Select(c => c.ThreadId).Distinct());
        Assert.Equal(200, store.Commits.Sum(c => c.Count));
    }

    [Fact]
    public async Task WriterCpus_EveryCommitRunsOnThoseCpusOnly_AndWithoutThemOnEveryCpuTheProcessMay()
    {
        // Linux only, where the gateway places the writer (decision 0063); a thread reads its own affinity from procfs.
        var allowed = AllowedCpusOfThisThread();
        var last = allowed[^1];

        var pinned = new AllowedCpusStore();
        bool placed, unplaced;
        await using (var ledger = new AuditLedger(pinned, new LedgerOptions { WriterCpus = [last] }))
        {
            await ledger.AppendAsync(AppendOnlyStore.Event(0));
            placed = await ledger.WriterPlaced;
        }
        var unpinned = new AllowedCpusStore();
        await using (var ledger = new AuditLedger(unpinned))
        {
            await ledger.AppendAsync(AppendOnlyStore.Event(0));
            unplaced = await ledger.WriterPlaced;
        }

        Assert.Equal([last], pinned.SeenOnCommit);
        Assert.True(placed);
        Assert.Equal(allowed, unpinned.SeenOnCommit);
        Assert.False(unplaced);
    }

    [Fact]
    public async Task WriterCpus_TheSystemRefuses_TheLedgerSaysSoAndStillCommitsFromWhereverItRuns()
    {
        var allowed = AllowedCpusOfThisThread();
        var store = new AllowedCpusStore();
        await using var ledger = new AuditLedger(store, new LedgerOptions { WriterCpus = [4_096] });

        await ledger.AppendAsync(AppendOnlyStore.Event(0));

        Assert.False(await ledger.WriterPlaced);
        Assert.Equal(allowed, store.SeenOnCommit);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_024)]
    public void WriterPlacement_ACpuNoMaskCanHold_IsRefusedAndTheThreadStaysWhereItWas(int cpu)
    {
        var before = AllowedCpusOfThisThread();

        Assert.False(WriterPlacement.TryPinCurrentThread([cpu]));
        Assert.Equal(before, AllowedCpusOfThisThread());
    }

    /// <summary>"Cpus_allowed_list" of the calling thread ("0-1", "1", "0,2-3") as CPU numbers.</summary>
    private static int[] AllowedCpusOfThisThread()
    {
        var line = File.ReadLines("/proc/thread-self/status").Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
        return [.. line.Split(':')[1].Trim().Split(',').SelectMany(range =>
        {
            var bounds = range.Split('-').Select(int.Parse).ToArray();
            return Enumerable.Range(bounds[0], bounds[^1] - bounds[0] + 1);
        })];
    }

    private sealed class AllowedCpusStore : AppendOnlyStore
    {
        public int[] SeenOnCommit { get; private set; } = [];

        public override Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            SeenOnCommit = AllowedCpusOfThisThread();
            return Task.FromResult(Sequence(drafts));
        }
    }

    [Fact]
    public async Task Append_WhileACommitBlocks_CallersAreNotBlockedAndTheWaitingEventsShareTheNextCommit()
    {
        var store = new RecordingStore { Gate = new ManualResetEventSlim(false) };
        await using var ledger = new AuditLedger(store);
        var first = ledger.AppendAsync(AppendOnlyStore.Event(0));
        Assert.True(store.Entered.Wait(TimeSpan.FromSeconds(10)), "the first commit never reached the store");

        var queued = Enumerable.Range(1, 20).Select(n => ledger.AppendAsync(AppendOnlyStore.Event(n))).ToList(); // returns at once: the writer is blocked, not the caller
        await Task.Delay(50);
        var acknowledgedEarly = queued.Count(t => t.IsCompleted) + (first.IsCompleted ? 1 : 0);
        store.Gate.Set();
        var receipts = await Task.WhenAll(queued.Prepend(first));

        Assert.Equal(0, acknowledgedEarly);
        Assert.Equal(Enumerable.Range(0, 21).Select(i => (long)i), receipts.Select(r => r.Index));
        Assert.Equal([1, 20], store.Commits.Select(c => c.Count));
    }

    [Fact]
    public async Task Append_ManyCallersOfEverySize_TheStoreReadsEachEventsOwnBytesUntilItReturns()
    {
        // Event bytes are lent from the shared pool. The store takes arrays of the same sizes from that pool during each
        // commit and scribbles on them: if the ledger gave a draft's buffer back before the store returned, the store
        // would be handed it and overwrite the event it is storing.
        var random = new Random(2719);
        var events = Enumerable.Range(0, 1_200).Select(n => SizedEvent(n, random.Next(10) == 0 ? random.Next(60_000, 140_000) : random.Next(0, 3_000))).ToList();
        var store = new ScribblingStore(events.ToDictionary(e => e.Id, e => EventJson.Canonical(e)));
        await using (var ledger = new AuditLedger(store))
        {
            await Task.WhenAll(Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
            {
                foreach (var e in events.Where((_, i) => i % 8 == worker))
                {
                    await ledger.AppendAsync(e);
                }
            })));
        }

        Assert.Equal(1_200, store.Checked);
        Assert.Empty(store.Damaged);
        Assert.True(store.Commits < 1_200, "no commit carried more than one event, so no buffer could be reused within one");
    }

    private static LedgerEvent SizedEvent(int n, int padding) => AppendOnlyStore.Event(n) with { Kind = "call.request" + new string((char)('a' + n % 26), padding) };

    [Fact]
    public async Task Append_ToAStoreThatCommitsAsynchronously_EveryReceiptArrivesInOrder()
    {
        var store = new RecordingStore { Asynchronous = true };
        await using var ledger = new AuditLedger(store);

        var receipts = await Task.WhenAll(Enumerable.Range(0, 50).Select(n => ledger.AppendAsync(AppendOnlyStore.Event(n))));

        // Appended one after another from one thread: the n-th append is the n-th entry.
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)i), receipts.Select(r => r.Index));
        Assert.Equal(Enumerable.Range(0, 50).Select(n => AppendOnlyStore.Event(n).Id), receipts.Select(r => r.EventId));
    }

    [Fact]
    public async Task Dispose_CommitsWhatWasQueuedAndEndsTheWriterThread()
    {
        var store = new RecordingStore();
        var ledger = new AuditLedger(store);
        var pending = Enumerable.Range(0, 10).Select(n => ledger.AppendAsync(AppendOnlyStore.Event(n))).ToList();

        await ledger.DisposeAsync();

        Assert.All(pending, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.True(store.WriterThread!.Join(TimeSpan.FromSeconds(10)), "the writer thread is still running after dispose");
        await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(AppendOnlyStore.Event(11)));
    }

    [Fact]
    public async Task Append_WhenTheWriterItselfFails_EveryWaitingAndLaterAppendIsRefusedWithTheReason_AndHealthSaysSo()
    {
        var store = new BrokenContractStore { Gate = new ManualResetEventSlim(false) };
        var ledger = new AuditLedger(store);
        var first = ledger.AppendAsync(AppendOnlyStore.Event(0));
        Assert.True(store.Entered.Wait(TimeSpan.FromSeconds(10)), "the first commit never reached the store");
        var queued = Enumerable.Range(1, 5).Select(n => ledger.AppendAsync(AppendOnlyStore.Event(n))).ToList();
        store.Gate.Set();

        foreach (var append in queued.Prepend(first))
        {
            var refused = await Assert.ThrowsAsync<LedgerUnavailableException>(() => append.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("the ledger's writer stopped", refused.Reason);
        }
        var later = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(AppendOnlyStore.Event(9)));

        Assert.Contains("ArgumentOutOfRangeException", later.Reason);
        Assert.False(ledger.Health.Writable);
        Assert.Equal(later.Reason, ledger.Health.Failure);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.DisposeAsync().AsTask());
    }

    private sealed record Commit(int Count, bool OnThreadPool, string? ThreadName, int ThreadId);

    /// <summary>Records where each commit ran; optionally holds commits at a gate, or completes them asynchronously.</summary>
    private sealed class RecordingStore : AppendOnlyStore
    {
        private readonly List<Commit> _commits = [];

        public ManualResetEventSlim? Gate { get; init; }

        public ManualResetEventSlim Entered { get; } = new(false);

        public bool Asynchronous { get; init; }

        public Thread? WriterThread { get; private set; }

        public List<Commit> Commits
        {
            get
            {
                lock (_commits)
                {
                    return [.. _commits];
                }
            }
        }

        public override async Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            var thread = Thread.CurrentThread;
            WriterThread ??= thread;
            lock (_commits)
            {
                _commits.Add(new Commit(drafts.Count, thread.IsThreadPoolThread, thread.Name, thread.ManagedThreadId));
            }
            Entered.Set();
            Gate?.Wait(TimeSpan.FromSeconds(10));
            if (Asynchronous)
            {
                await Task.Yield();
            }
            return Sequence(drafts);
        }
    }

    /// <summary>Checks every draft against its event's canonical bytes after scribbling on pool arrays of the drafts' sizes.</summary>
    private sealed class ScribblingStore(IReadOnlyDictionary<string, byte[]> expected) : AppendOnlyStore
    {
        public int Checked { get; private set; }

        public int Commits { get; private set; }

        public List<string> Damaged { get; } = [];

        public override async Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            Commits++;
            var taken = drafts.SelectMany(d => Enumerable.Range(0, 4).Select(_ => ArrayPool<byte>.Shared.Rent(d.CanonicalEvent.Length))).ToList();
            taken.ForEach(array => array.AsSpan().Fill(0xEE));
            taken.ForEach(array => ArrayPool<byte>.Shared.Return(array));
            await Task.Yield();
            foreach (var draft in drafts)
            {
                Checked++;
                if (!draft.CanonicalEvent.Span.SequenceEqual(expected[draft.EventId]))
                {
                    Damaged.Add(draft.EventId);
                }
            }
            return Sequence(drafts);
        }
    }

    /// <summary>Says it stored a batch but hands back no leaf hashes: a store bug the writer cannot survive.</summary>
    private sealed class BrokenContractStore : AppendOnlyStore
    {
        public ManualResetEventSlim Gate { get; init; } = new(true);

        public ManualResetEventSlim Entered { get; } = new(false);

        public override Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            Entered.Set();
            Gate.Wait(TimeSpan.FromSeconds(10));
            return Task.FromResult(new AppendedBatch(0, []));
        }
    }
}
