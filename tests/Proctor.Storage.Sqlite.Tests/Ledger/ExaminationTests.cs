using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Retention;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

/// <summary>The examiner's views (CLI <c>--json</c> and <c>/api</c>) over a real ledger store.</summary>
public class ExaminationTests
{
    [Fact]
    public async Task SessionTimeline_PartlyPurged_CountsThePurgedEvents_AndTimesFromTheFirstKeptOne()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        var lastYear = DateTimeOffset.UtcNow.AddDays(-400);
        await fixture.Ledger.AppendAsync(LedgerFixture.Event(0, session: "s", time: lastYear));
        await fixture.Ledger.AppendAsync(LedgerFixture.Event(1, session: "s", time: lastYear.AddSeconds(1)));
        var now = DateTimeOffset.UtcNow;
        await fixture.Ledger.AppendAsync(LedgerFixture.Event(2, session: "s", time: now));
        await fixture.Ledger.AppendAsync(LedgerFixture.Event(3, session: "s", time: now.AddMilliseconds(250)));
        await new PayloadPurger(fixture.Ledger, fixture.Store, TimeProvider.System).PurgeAsync(now.AddDays(-365), new EventActor { Subject = "records-officer" }, default);

        var timeline = (await SessionTimeline.ReadAsync(fixture.Store, "s", default))!;
        var shown = ExaminerJson.Show(timeline);

        Assert.Equal(4, timeline.RecordedEvents);
        Assert.Equal(2, timeline.PurgedEvents);
        Assert.Equal([2L, 3L], timeline.Events.Select(e => e.Index));
        Assert.Equal([0d, 250d], timeline.Events.Select(e => Math.Round(e.Offset.TotalMilliseconds)));
        Assert.Equal(2, (int)shown["purged_events"]!);
        Assert.Equal([2L, 3L], shown["events"]!.AsArray().Select(r => (long)r!["index"]!));
        Assert.Null(await SessionTimeline.ReadAsync(fixture.Store, "no-such-session", default));
    }

    [Fact]
    public async Task ExaminerJson_Checkpoint_ReadsOriginAndRootFromTheSignedNote()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(5);
        await fixture.Checkpointer.CheckpointAsync(default);
        var latest = (await fixture.Store.GetLatestCheckpointAsync(default))!;

        var json = ExaminerJson.Checkpoint(latest, fixture.Signer.PublicKey);

        var (text, problem) = SignedNote.Open(latest.Note, fixture.Signer.PublicKey);
        Assert.Null(problem);
        var signed = Checkpoint.Parse(text!);
        Assert.Equal(5, (long)json["tree_size"]!);
        Assert.Equal(signed.Origin, (string)json["origin"]!);
        Assert.Equal(Convert.ToBase64String(signed.RootHash), (string)json["root_hash"]!);
        Assert.Equal(fixture.Signer.PublicKey.ToString(), (string)json["verifier_key"]!);
    }

    [Fact]
    public void ExaminerJson_Checkpoint_MalformedNote_HasNoParsedFields()
    {
        var json = ExaminerJson.Checkpoint(new Proctor.Ledger.Storage.StoredCheckpoint(3, "not a note", DateTimeOffset.UtcNow), null);

        Assert.Equal("not a note", (string)json["note"]!);
        Assert.False(json.ContainsKey("origin"));
    }
}
