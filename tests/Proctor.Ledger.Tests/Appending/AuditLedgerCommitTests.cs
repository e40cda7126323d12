using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Tests.Appending;

public sealed class AuditLedgerCommitTests
{
    private static LedgerEvent Event(int n) => new()
    {
        Id = $"0193a0b4-0000-7000-8000-{n:D12}",
        Kind = "call.request",
        Time = new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public async Task Append_NobodyCommitting_CommitsOnTheCallersThreadWithoutAHandOff()
    {
        var store = new RecordingStore();
        await using var ledger = new AuditLedger(store);

        var caller = Environment.CurrentManagedThreadId;
        var append = ledger.AppendAsync(Event(1));

        // A synchronous store and an idle ledger: the receipt is there before AppendAsync returns, committed by the caller.
        Assert.True(append.IsCompletedSuccessfully);
        Assert.Equal(caller, Assert.Single(store.CommitThreads));
        Assert.Equal(0, (await append).Index);
    }

    [Fact]
    public async Task Append_ManyCallersAtOnce_EveryAppendCommittedOnceInConsecutiveIndexes()
    {
        var store = new RecordingStore { Delay = TimeSpan.FromMilliseconds(1) };
        await using var ledger = new AuditLedger(store);

        // 16 callers on their own threads, each appending one after another: committers release just as others append.
        var receipts = new List<LedgerReceipt>[16];
        var callers = Enumerable.Range(0, 16).Select(caller => new Thread(() =>
        {
            receipts[caller] = [.. Enumerable.Range(0, 200).Select(i => ledger.AppendAsync(Event(caller * 1000 + i)).GetAwaiter().GetResult())];
        })).ToList();
        callers.ForEach(thread => thread.Start());
        Assert.All(callers, thread => Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "an append never completed"));

        var indexes = receipts.SelectMany(r => r).Select(r => r.Index).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 3_200).Select(i => (long)i), indexes);
        Assert.Equal(3_200, store.Size);
        Assert.True(store.CommitThreads.Count < 3_200, $"{store.CommitThreads.Count} commits for 3200 appends: no batching ({string.Join(",", store.BatchSizes.Take(40))}; threads {store.CommitThreads.Distinct().Count()})");
    }

    [Fact]
    public async Task Dispose_AppendsWaiting_CommitsThemAndRefusesLaterOnes()
    {
        var store = new RecordingStore { Delay = TimeSpan.FromMilliseconds(20) };
        var ledger = new AuditLedger(store);
        var first = Task.Run(() => ledger.AppendAsync(Event(1)));
        await WaitUntil(() => store.CommitThreads.Count == 1); // the first commit is under way
        var queued = ledger.AppendAsync(Event(2));

        await ledger.DisposeAsync();

        Assert.Equal(0, (await first).Index);
        Assert.Equal(1, (await queued).Index);
        var refused = await Assert.ThrowsAsync<LedgerUnavailableException>(() => ledger.AppendAsync(Event(3)));
        Assert.Contains("shut down", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, store.Size);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(2);
        }
        Assert.True(condition());
    }

    /// <summary>A store that commits synchronously (as the log does, waiting in fdatasync), recording the thread of each commit.</summary>
    private sealed class RecordingStore : IEntryStore
    {
        private readonly Lock _gate = new();

        public TimeSpan Delay { get; init; }

        public List<int> CommitThreads { get; } = [];

        public List<int> BatchSizes { get; } = [];

        public long Size { get; private set; }

        public Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                CommitThreads.Add(Environment.CurrentManagedThreadId);
                BatchSizes.Add(drafts.Count);
                if (Delay > TimeSpan.Zero)
                {
                    Thread.Sleep(Delay);
                }
                var appended = new AppendedBatch(Size, [.. drafts.Select(_ => new byte[32])]);
                Size += drafts.Count;
                return Task.FromResult(appended);
            }
        }

        public Task<long> GetSizeAsync(CancellationToken cancellationToken) => Task.FromResult(Size);

        public Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
