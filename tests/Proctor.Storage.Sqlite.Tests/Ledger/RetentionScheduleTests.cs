using Proctor.Ledger.Events;
using Proctor.Ledger.Retention;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

/// <summary>The configured retention applied by the running gateway: on a (short, here) interval, holds respected, the purge recorded, the ledger intact.</summary>
public sealed class RetentionScheduleTests
{
    [Fact]
    public async Task Running_OldEventsPastRetention_PurgedOnceAndRecorded_HeldKept_LedgerVerifies()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        var purger = await fixture.ArrangeHeldAndOldEventsAsync();
        var failures = new List<Exception>();
        var options = new RetentionScheduleOptions { Retention = "365d", CutoffAt = now => now.AddDays(-365), Interval = TimeSpan.FromMilliseconds(50), OnFailure = failures.Add };

        await using (var schedule = new RetentionSchedule(purger, fixture.Store, options, TimeProvider.System))
        {
            schedule.Start();
            await WaitUntilAsync(async () => (await fixture.Store.ReadSessionAsync("old", default)).All(e => e.CanonicalEvent is null));
            await Task.Delay(300); // several more rounds, with nothing left to purge
        }

        Assert.Empty(failures);
        Assert.All(await fixture.Store.ReadSessionAsync("held", default), e => Assert.NotNull(e.CanonicalEvent));
        Assert.All(await fixture.Store.ReadSessionAsync("recent", default), e => Assert.NotNull(e.CanonicalEvent));
        var purge = Assert.Single(await fixture.ReadKindAsync(EventKinds.LedgerPurge)); // rounds with nothing past retention record nothing
        Assert.Equal("proctor:retention", purge.Actor!.Subject);
        Assert.Equal("365d", purge.Details!.Value.GetProperty("retention").GetString());
        Assert.Equal(4, purge.Details.Value.GetProperty("planned_count").GetInt32());
        await fixture.Checkpointer.CheckpointAsync(default);
        var verified = await fixture.VerifyAsync();
        Assert.Null(verified.Problem);
        Assert.Equal(4, verified.PurgedEntries);
    }

    [Fact]
    public async Task PurgeOnce_NothingPastRetention_RecordsNothing()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(4);
        var schedule = new RetentionSchedule(new PayloadPurger(fixture.Ledger, fixture.Store, TimeProvider.System), fixture.Store,
            new RetentionScheduleOptions { Retention = "7y", CutoffAt = now => now.AddYears(-7), Interval = TimeSpan.FromHours(1) }, TimeProvider.System);

        Assert.Null(await schedule.PurgeOnceAsync(default));
        Assert.Equal(4, await fixture.Store.GetSizeAsync(default));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100 && !await condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(await condition(), "the retention schedule did not purge within 5 s");
    }
}
