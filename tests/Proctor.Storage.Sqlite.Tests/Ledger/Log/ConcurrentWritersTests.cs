using Proctor.Ledger.Appending;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;
using Proctor.Storage.Sqlite.Ledger.Index;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// Two stores on one ledger, as a gateway and <c>proctor audit hold</c> beside it are: each appends between the other's
/// batches under the writer lock, every entry gets its own index, and each store's queries find the other's events.
/// </summary>
public class ConcurrentWritersTests
{
    [Fact]
    public async Task Append_TwoStoresAtOnce_InterleaveWithoutSharingAnIndex_AndVerify()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await using var second = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);
        await using var secondLedger = new AuditLedger(second);

        var first = Enumerable.Range(0, 300).Select(i => Task.Run(() => fixture.Ledger.AppendAsync(LedgerFixture.Event(i, session: "gateway"))));
        var other = Enumerable.Range(0, 300).Select(i => Task.Run(() => secondLedger.AppendAsync(LedgerFixture.Event(i, session: "cli"))));
        var receipts = await Task.WhenAll(first.Concat(other));

        Assert.Equal(Enumerable.Range(0, 600).Select(i => (long)i), receipts.Select(r => r.Index).Order());
        Assert.Equal(300, (await fixture.Store.ReadSessionAsync("cli", default)).Count);
        Assert.Equal(300, (await second.ReadSessionAsync("gateway", default)).Count);
        await fixture.Checkpointer.CheckpointAsync(default);
        var result = await fixture.VerifyAsync();
        Assert.Null(result.Problem);
        Assert.Equal(600, result.EntriesChecked);
    }

    [Fact]
    public async Task Queries_EventsAppendedBeforeACrash_AreIndexedFromTheLog()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(20);
        // An index that lost its last rounds (they are committed without waiting): only the log still has those events.
        await fixture.TamperAsync("DELETE FROM ledger_events; DELETE FROM ledger_frames");
        await using var restarted = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);

        var events = await restarted.ReadSessionAsync("s-1", default);

        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), events.Select(e => e.Index));
        Assert.All(events, e => Assert.NotNull(e.CanonicalEvent));
    }

    [Fact]
    public async Task Queries_AnIndexFarBehind_CatchUpOverSeveralRounds_WithBoundedRows()
    {
        // More events than one index round takes (4,096), fed by the appends and then read back from the log.
        const int count = 9_000;
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAtOnceAsync(count);
        Assert.Equal(count, (await fixture.Store.ReadSessionAsync("s-1", default)).Count);
        await fixture.TamperAsync("DELETE FROM ledger_events; DELETE FROM ledger_frames");
        await using var restarted = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);

        var events = await restarted.ReadSessionAsync("s-1", default);

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), events.Select(e => e.Index));
        var rows = await fixture.QueryAsync("SELECT count FROM ledger_events");
        Assert.Equal(count, rows.Sum());
        Assert.All(rows, n => Assert.InRange(n, 1, IndexTables.MaxEventsPerRow));
    }

    [Fact]
    public async Task BackgroundIndex_ARoundsWorthWaiting_IsIndexedWithoutWaitingOutTheDelay()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        fixture.Store.IndexRoundDelay = TimeSpan.FromHours(1);

        // Fewer events than a round takes wait for the delay (or a query).
        await fixture.AppendAtOnceAsync(100);
        await Task.Delay(500);
        Assert.Empty(await fixture.QueryAsync("SELECT count FROM ledger_events"));

        // A round's worth is indexed at once.
        await fixture.AppendAtOnceAsync(LedgerIndexer.MaxPerRound, from: 100);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await fixture.QueryAsync("SELECT count FROM ledger_events")).Sum() < LedgerIndexer.MaxPerRound && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.True((await fixture.QueryAsync("SELECT count FROM ledger_events")).Sum() >= LedgerIndexer.MaxPerRound, "a round's worth of events waited for the hour-long delay");
    }
}
