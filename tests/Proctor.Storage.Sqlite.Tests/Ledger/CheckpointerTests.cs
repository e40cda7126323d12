using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

public class CheckpointerTests
{
    [Fact]
    public async Task Start_Idle_SignsOnEveryIntervalAndStopsCleanly()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(3);
        await using var checkpointer = new Checkpointer(fixture.Store, fixture.Signer,
            new CheckpointerOptions { Origin = "bank.example/ledger", Interval = TimeSpan.FromMilliseconds(50) }, TimeProvider.System);

        checkpointer.Start();
        // Waits for three signatures rather than a fixed time: on a loaded machine a 50 ms tick and its fsync can take longer.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await fixture.Store.ReadCheckpointsAsync(default)).Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
        }

        await checkpointer.StopAsync();

        var checkpoints = await fixture.Store.ReadCheckpointsAsync(default);
        Assert.True(checkpoints.Count >= 3, $"{checkpoints.Count} checkpoints in 10 s at a 50 ms interval");
        Assert.All(checkpoints, c => Assert.Equal(3, c.TreeSize));
        Assert.Null(checkpointer.LastFailure);
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }

    [Fact]
    public async Task CheckpointAsync_SeveralPagesUnsigned_SignsTheRootOfEveryLeaf_AndARestartRebuildsIt()
    {
        // 2.5 pages of 8,192 leaves unsigned, then a checkpointer that rebuilds the signed tree over them page by page.
        await using var fixture = await LedgerFixture.CreateAsync();
        var receipts = await fixture.AppendAtOnceAsync(20_500);

        var first = await fixture.Checkpointer.CheckpointAsync(default);

        Assert.Equal(20_500, first!.TreeSize);
        Assert.Equal(RootOf(receipts), SignedRoot(fixture, first));
        receipts.AddRange(await fixture.AppendAtOnceAsync(3, from: 20_500));
        var restarted = new Checkpointer(fixture.Store, fixture.Signer, new CheckpointerOptions { Origin = "bank.example/ledger" }, TimeProvider.System);
        var second = await restarted.CheckpointAsync(default);
        Assert.Equal(20_503, second!.TreeSize);
        Assert.Equal(RootOf(receipts), SignedRoot(fixture, second));
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }

    private static byte[] SignedRoot(LedgerFixture fixture, StoredCheckpoint checkpoint) =>
        Checkpoint.Parse(SignedNote.Open(checkpoint.Note, fixture.Signer.PublicKey).Text!).RootHash;

    private static byte[] RootOf(IEnumerable<Proctor.Ledger.Appending.LedgerReceipt> receipts)
    {
        var tree = new CompactRange();
        foreach (var receipt in receipts)
        {
            tree.Append(receipt.LeafHash);
        }
        return tree.Root();
    }
}
