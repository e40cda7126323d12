using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;
using Proctor.Storage.Sqlite.Tests.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

/// <summary>
/// Edits of the stored ledger, each as an intruder with write access to the log folder makes it: records rewritten with
/// valid checksums (so only the leaf hashes, the indexes entries name and the signed checkpoints can tell), bytes changed
/// without fixing the checksum, records dropped or cut. Every one is caught, at the index it first affects.
/// </summary>
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

    /// <summary>Rewrites the log with <paramref name="edit"/> applied to the entry list (index → entry bytes, leaf), one entry per frame as the appends made them.</summary>
    private static void Rewrite(LedgerFixture fixture, Action<List<TamperedFrame>> edit)
    {
        var frames = LogFiles.ReadFrames(fixture.LogFolder);
        edit(frames);
        LogFiles.WriteFrames(fixture.LogFolder, frames);
    }

    private static TamperedFrame FrameOf(List<TamperedFrame> frames, long index) => frames.Single(f => f.FirstIndex <= index && index < f.FirstIndex + f.Entries.Count);

    private static void SetEntry(List<TamperedFrame> frames, long index, byte[]? entry, byte[]? leaf = null)
    {
        var frame = FrameOf(frames, index);
        var at = (int)(index - frame.FirstIndex);
        frame.Entries[at] = (entry, leaf ?? frame.Entries[at].Leaf);
    }

    private static (byte[]? Entry, byte[] Leaf) EntryAt(List<TamperedFrame> frames, long index)
    {
        var frame = FrameOf(frames, index);
        return frame.Entries[(int)(index - frame.FirstIndex)];
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
        Rewrite(fixture, frames => SetEntry(frames, 7, System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(EntryAt(frames, 7).Entry!).Replace("name 7", "name 8", StringComparison.Ordinal))));
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.EditedPayload, 7L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_PayloadEmptiedWithoutPurgeEvent_NamesEditedIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        Rewrite(fixture, frames => SetEntry(frames, 7, null));
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
        Rewrite(fixture, frames => SetEntry(frames, 7, null));

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
        Rewrite(fixture, frames => SetEntry(frames, last, null));

        var problem = (await fixture.VerifyAsync()).Problem!;

        Assert.Equal((ProblemKind.EditedPayload, last), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_EntryCopiedOverAnother_NamesReordered()
    {
        await using var fixture = await SignedLedgerAsync();
        Rewrite(fixture, frames =>
        {
            var (entry, leaf) = EntryAt(frames, 3);
            SetEntry(frames, 12, entry, leaf);
        });
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal(ProblemKind.Reordered, problem.Kind);
        Assert.Equal(12, problem.Index);
    }

    [Fact]
    public async Task Verify_RewrittenWithRecomputedLeafHash_NamesCheckpointRange()
    {
        await using var fixture = await SignedLedgerAsync();
        var forged = LedgerEntry.Seal(12, EventJson.Canonical(LedgerFixture.Event(99)));
        Rewrite(fixture, frames => SetEntry(frames, 12, forged.Bytes, forged.LeafHash));
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.CheckpointRootMismatch, 10L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_EventDeleted_NamesMissingIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        Rewrite(fixture, frames => frames.Remove(FrameOf(frames, 4)));
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.MissingIndex, 4L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_TwoEventsSwapped_NamesFirstReorderedIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        Rewrite(fixture, frames =>
        {
            var (three, eight) = (EntryAt(frames, 3), EntryAt(frames, 8));
            SetEntry(frames, 3, eight.Entry, eight.Leaf);
            SetEntry(frames, 8, three.Entry, three.Leaf);
        });
        var problem = (await fixture.VerifyAsync()).Problem!;
        Assert.Equal((ProblemKind.Reordered, 3L), (problem.Kind, problem.Index));
    }

    [Fact]
    public async Task Verify_TailTruncatedBelowCheckpoint_NamesTruncation()
    {
        await using var fixture = await SignedLedgerAsync();
        Rewrite(fixture, frames => frames.RemoveAll(f => f.FirstIndex >= 15));
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
        Rewrite(fixture, frames => frames.RemoveAll(f => f.FirstIndex >= 15));
        var reopened = new Checkpointer(fixture.Store, fixture.Signer, new CheckpointerOptions { Origin = "bank.example/ledger" }, TimeProvider.System);
        await Assert.ThrowsAsync<LedgerIntegrityException>(() => reopened.CheckpointAsync(default));
    }
}
