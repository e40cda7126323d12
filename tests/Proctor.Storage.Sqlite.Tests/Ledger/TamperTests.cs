using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

public class TamperTests
{
    private static async Task<LedgerFixture> SignedLedgerAsync()
    {
        var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(10);
        await fixture.Checkpointer.CheckpointAsync(default);
        await fixture.AppendAsync(10, from: 10);
        await fixture.Checkpointer.CheckpointAsync(default);
        await fixture.AppendAsync(5, from: 20);
        return fixture;
    }

    [Fact]
    public async Task Verify_Untouched_IsValid()
    {
        await using var fixture = await SignedLedgerAsync();
        var result = await fixture.VerifyAsync();
        Assert.Null(result.Problem);
        Assert.Equal(25, result.EntriesChecked);
        Assert.Equal(2, result.CheckpointsChecked);
    }

    [Fact]
    public async Task Verify_OneByteEdited_NamesEditedIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        await fixture.TamperAsync("UPDATE entries SET body = CAST(replace(CAST(body AS TEXT), 'name 7', 'name 8') AS BLOB) WHERE idx = 7");
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.EditedPayload, 7L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_PayloadEmptiedWithoutPurgeEvent_NamesEditedIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        await fixture.TamperAsync("UPDATE entries SET body = NULL WHERE idx = 7");
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.EditedPayload, 7L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_PayloadEmptied_ACallWhoseArgumentsLookLikeAPurge_DoesNotExplainIt()
    {
        await using var fixture = await SignedLedgerAsync();
        var lookalike = LedgerFixture.Event(30) with
        {
            Action = new EventAction { Method = "tools/call", Name = "note", Arguments = System.Text.Json.JsonSerializer.SerializeToElement(new { kind = EventKinds.LedgerPurge }) },
        };
        await fixture.Ledger.AppendAsync(lookalike);
        await fixture.TamperAsync("UPDATE entries SET body = NULL WHERE idx = 7");

        var problem = (await fixture.VerifyAsync()).Problem!;

        Assert.Equal((ProblemKind.EditedPayload, 7L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_PayloadEmptiedAfterTheLastPurge_NamesEditedIndex()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        var purger = await fixture.ArrangeHeldAndOldEventsAsync();
        await purger.PurgeAsync(DateTimeOffset.UtcNow.AddDays(-365), LedgerFixture.RecordsOfficer, default);
        await fixture.AppendAsync(3, from: 10);
        var last = await fixture.Store.GetSizeAsync(default) - 1;
        await fixture.TamperAsync($"UPDATE entries SET body = NULL WHERE idx = {last}");

        var problem = (await fixture.VerifyAsync()).Problem!;

        Assert.Equal((ProblemKind.EditedPayload, last), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_EntryCopiedOverAnother_NamesReordered()
    {
        await using var fixture = await SignedLedgerAsync();
        await fixture.TamperAsync("UPDATE entries SET leaf_hash = (SELECT leaf_hash FROM entries WHERE idx = 3), body = (SELECT body FROM entries WHERE idx = 3) WHERE idx = 12");
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal(ProblemKind.Reordered, problem.Kind);
        Assert.Equal(12, problem.Index);
    }

    [Fact]
    public async Task Verify_RewrittenWithRecomputedLeafHash_NamesCheckpointRange()
    {
        await using var fixture = await SignedLedgerAsync();
        var forged = LedgerEntry.Seal(12, EventJson.Canonical(LedgerFixture.Event(99)));
        await fixture.TamperAsync($"UPDATE entries SET body = X'{Convert.ToHexString(forged.Bytes!)}', leaf_hash = X'{Convert.ToHexString(forged.LeafHash)}' WHERE idx = 12");
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.CheckpointRootMismatch, 10L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_EventDeleted_NamesMissingIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        await fixture.TamperAsync("DELETE FROM entries WHERE idx = 4");
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.MissingIndex, 4L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_TwoEventsSwapped_NamesFirstReorderedIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        await fixture.TamperAsync("""
            UPDATE entries SET idx = -1 WHERE idx = 3;
            UPDATE entries SET idx = 3 WHERE idx = 8;
            UPDATE entries SET idx = 8 WHERE idx = -1;
            """);
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.Reordered, 3L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_TailTruncatedBelowCheckpoint_NamesTruncation()
    {
        await using var fixture = await SignedLedgerAsync();
        await fixture.TamperAsync("DELETE FROM entries WHERE idx >= 15");
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.Truncated, 15L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_CheckpointReplaced_NamesBadSignature()
    {
        await using var fixture = await SignedLedgerAsync();
        var forged = new Checkpoint("bank.example/ledger", 20, new byte[32], DateTimeOffset.UtcNow).ToNoteText();
        var latest = (await fixture.Store.GetLatestCheckpointAsync(default))!.Note;
        var note = forged + latest[latest.LastIndexOf("\n\n", StringComparison.Ordinal)..][1..];
        await fixture.TamperAsync($"UPDATE checkpoints SET note = '{note}' WHERE tree_size = 20");
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.BadSignature, 10L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_AnotherKey_NamesBadSignatureFromTheStart()
    {
        await using var fixture = await SignedLedgerAsync();
        using var other = EcdsaFileSigner.OpenOrCreate(Path.Combine(fixture.Directory, "other.key"), "bank.example/ledger");
        var problem = (await fixture.VerifyAsync(other.PublicKey)).Problem!;
        Assert.Equal((ProblemKind.BadSignature, 0L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Checkpoint_AfterTruncation_RefusesToSign()
    {
        await using var fixture = await SignedLedgerAsync();
        await fixture.TamperAsync("DELETE FROM entries WHERE idx >= 15");
        var reopened = new Checkpointer(fixture.Store, fixture.Signer, new CheckpointerOptions { Origin = "bank.example/ledger" }, TimeProvider.System);
        await Assert.ThrowsAsync<LedgerIntegrityException>(() => reopened.CheckpointAsync(default));
    }
}
