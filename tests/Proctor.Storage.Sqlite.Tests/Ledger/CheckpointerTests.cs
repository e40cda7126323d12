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
}
