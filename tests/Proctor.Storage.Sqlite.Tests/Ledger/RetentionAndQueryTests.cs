using Proctor.Ledger.Events;
using Proctor.Ledger.Proofs;
using Proctor.Ledger.Retention;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

public class RetentionAndQueryTests
{
    [Fact]
    public async Task Purge_OldEvents_DropsPayloadsKeepsHeldAndStillVerifies()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        var purger = await fixture.ArrangeHeldAndOldEventsAsync();

        var result = await purger.PurgeAsync(DateTimeOffset.UtcNow.AddDays(-365), LedgerFixture.RecordsOfficer, default);

        Assert.Equal(4, result.PurgedEntries);
        Assert.All(await fixture.Store.ReadSessionAsync("old", default), e => Assert.Null(e.CanonicalEvent));
        Assert.All(await fixture.Store.ReadSessionAsync("held", default), e => Assert.NotNull(e.CanonicalEvent));
        Assert.Equal(EventKinds.LedgerPurge, (await fixture.Store.ReadEntriesAsync(result.PurgeEvent.Index, 1, default)).Single().Bytes is { } bytes
            ? EventJson.Parse(LedgerEntry.EventOf(bytes).Span).Kind : null);
        await fixture.Checkpointer.CheckpointAsync(default);
        var verified = await fixture.VerifyAsync();
        Assert.Null(verified.Problem);
        Assert.Equal(4, verified.PurgedEntries);
    }

    [Fact]
    public async Task Purge_ACutoffInsideASessionOfSeveralIndexRows_PurgesExactlyTheOlderEvents()
    {
        // One session of 2,500 events is indexed as rows of at most 1,024; the cutoff falls inside the second row.
        await using var fixture = await LedgerFixture.CreateAsync();
        var lastYear = DateTimeOffset.UtcNow.AddDays(-400);
        await fixture.AppendAtOnceAsync(1_500, time: lastYear);
        await fixture.AppendAtOnceAsync(1_000, from: 1_500);
        Assert.Equal(2_500, (await fixture.Store.ReadSessionAsync("s-1", default)).Count);
        await fixture.Checkpointer.CheckpointAsync(default);

        var result = await new PayloadPurger(fixture.Ledger, fixture.Store, TimeProvider.System)
            .PurgeAsync(DateTimeOffset.UtcNow.AddDays(-365), LedgerFixture.RecordsOfficer, default);

        Assert.Equal(1_500, result.PurgedEntries);
        var session = await fixture.Store.ReadSessionAsync("s-1", default);
        Assert.Equal(Enumerable.Range(0, 2_500).Select(i => (long)i), session.Select(e => e.Index));
        Assert.Equal(1_500, session.Count(e => e.CanonicalEvent is null));
        Assert.All(session.Where(e => e.Index >= 1_500), e => Assert.NotNull(e.CanonicalEvent));
        var rows = await fixture.QueryAsync("SELECT count FROM ledger_events WHERE session_id = 's-1'");
        Assert.Equal(2_500, rows.Sum());
        Assert.All(rows, n => Assert.InRange(n, 1, Proctor.Storage.Sqlite.Ledger.Index.IndexTables.MaxEventsPerRow));
        Assert.Equal(1_500, (await fixture.QueryAsync("SELECT count FROM ledger_events WHERE session_id = 's-1' AND subject IS NULL")).Sum());
        await fixture.Checkpointer.CheckpointAsync(default);
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }

    [Fact]
    public async Task Purge_CutoffInTheFuture_KeepsItsOwnRecordAndTheHolds()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        var purger = await fixture.ArrangeHeldAndOldEventsAsync();

        var result = await purger.PurgeAsync(DateTimeOffset.UtcNow.AddDays(1), LedgerFixture.RecordsOfficer, default);

        Assert.Equal(6, result.PurgedEntries); // "old" and "recent", plus the hold's own event: all sequenced before the purge
        var purge = Assert.Single(await fixture.ReadKindAsync(EventKinds.LedgerPurge));
        Assert.Equal(result.PurgeEvent.EventId, purge.Id);
        Assert.All(await fixture.Store.ReadSessionAsync("held", default), e => Assert.NotNull(e.CanonicalEvent));
    }

    [Fact]
    public async Task Queries_SessionsAndEvents_ReturnInOrder()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.Ledger.AppendAsync(LedgerFixture.Event(0, session: "a", subject: "alice"));
        await fixture.Ledger.AppendAsync(LedgerFixture.Event(1, session: "b", subject: "bob"));
        var last = await fixture.Ledger.AppendAsync(LedgerFixture.Event(2, session: "a", subject: "alice"));

        var sessions = await fixture.Store.ListSessionsAsync(new SessionQuery { Subject = "alice" }, default);
        Assert.Equal("a", Assert.Single(sessions).SessionId);
        Assert.Equal([0L, 2L], (await fixture.Store.ReadSessionAsync("a", default)).Select(e => e.Index));
        var found = await fixture.Store.FindEventAsync(last.EventId, default);
        Assert.Equal("search_customers", found!.Parse()!.Action!.Name);
    }

    [Fact]
    public async Task InclusionProof_Exported_VerifiesOfflineAndCatchesEdits()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(37);
        await fixture.Checkpointer.CheckpointAsync(default);

        var json = (await InclusionProof.CreateAsync(fixture.Store, fixture.Store, fixture.Signer.PublicKey, 21, default)).ToJson();

        var key = Proctor.Ledger.Checkpoints.NoteVerifierKey.Parse(fixture.Signer.PublicKey.ToString());
        Assert.Null(InclusionProof.Parse(json).Verify(key));
        Assert.NotNull(InclusionProof.Parse(json.Replace("name 21", "name 22", StringComparison.Ordinal)).Verify(key));
    }
}
