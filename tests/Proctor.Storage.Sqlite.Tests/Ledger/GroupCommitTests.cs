using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

public class GroupCommitTests
{
    [Fact]
    public async Task Append_ManyConcurrent_BatchesIntoFewerTransactionsAndAllVerify()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        var counting = new CountingStore(fixture.Store);
        await using var ledger = new AuditLedger(counting);
        var receipts = await Task.WhenAll(Enumerable.Range(0, 2_000).Select(i => Task.Run(() => ledger.AppendAsync(LedgerFixture.Event(i)))));
        Assert.Equal(Enumerable.Range(0, 2_000).Select(i => (long)i), receipts.Select(r => r.Index).Order());
        Assert.True(counting.Transactions < 2_000 / 4, $"{counting.Transactions} transactions for 2000 appends");
        await fixture.Checkpointer.CheckpointAsync(default);
        var result = await fixture.VerifyAsync();
        Assert.Null(result.Problem);
        Assert.Equal(2_000, result.EntriesChecked);
    }

    private sealed class CountingStore(IEntryStore inner) : IEntryStore
    {
        public int Transactions;

        public Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Transactions);
            return inner.AppendAsync(drafts, cancellationToken);
        }

        public Task<long> GetSizeAsync(CancellationToken cancellationToken) => inner.GetSizeAsync(cancellationToken);
        public Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) => inner.ReadEntriesAsync(start, count, cancellationToken);
        public Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) => inner.ReadLeafHashesAsync(start, count, cancellationToken);
    }
}
