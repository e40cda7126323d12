using Proctor.Ledger.Checkpoints;

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
        await Task.Delay(400);
        await checkpointer.StopAsync();

        var checkpoints = await fixture.Store.ReadCheckpointsAsync(default);
        Assert.True(checkpoints.Count >= 3, $"{checkpoints.Count} checkpoints in 400 ms at a 50 ms interval");
        Assert.All(checkpoints, c => Assert.Equal(3, c.TreeSize));
        Assert.Null(checkpointer.LastFailure);
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }
}
