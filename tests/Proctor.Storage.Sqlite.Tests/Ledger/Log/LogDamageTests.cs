using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// Bytes changed in the log without fixing the checksum: every single-byte edit of a record with records after it is
/// caught at that record's first index, and a gateway start refuses such a log instead of cutting it; an edit in the
/// last record is what a torn write looks like, and is cut only while no signed checkpoint covers it.
/// </summary>
public class LogDamageTests
{
    private static async Task<LedgerFixture> SignedLedgerAsync()
    {
        var fixture = await LedgerFixture.CreateAsync();
        await fixture.AppendAsync(12);
        await fixture.Checkpointer.CheckpointAsync(default);
        return fixture;
    }

    [Fact]
    public async Task Verify_EveryByteOfAMiddleRecordFlipped_NamesItsIndex()
    {
        await using var fixture = await SignedLedgerAsync();
        var (offset, header) = LogFiles.Layout(fixture.LogFolder)[7];
        Assert.Equal(7, header.FirstIndex);

        for (var at = offset; at < offset + header.Length; at++)
        {
            var original = LogFiles.ByteAt(fixture.LogFolder, at);
            LogFiles.Overwrite(fixture.LogFolder, at, [(byte)(original ^ 0xFF)]);

            var problem = (await fixture.VerifyAsync()).Problem;

            LogFiles.Overwrite(fixture.LogFolder, at, [original]);
            Assert.True(problem is { Kind: ProblemKind.EditedPayload, Index: 7 }, $"byte {at - offset} of the record: {problem?.Kind} at {problem?.Index}");
        }
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }

    [Fact]
    public async Task Recover_MiddleRecordDamaged_RefusesToOpenForAppends()
    {
        await using var fixture = await SignedLedgerAsync();
        var (offset, _) = LogFiles.Layout(fixture.LogFolder)[5];
        LogFiles.Overwrite(fixture.LogFolder, offset + 40, [(byte)(LogFiles.ByteAt(fixture.LogFolder, offset + 40) ^ 1)]);
        await fixture.Store.DisposeAsync();

        await using var store = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);
        var refused = await Assert.ThrowsAsync<LedgerStoreException>(() => store.RecoverAsync(default));

        Assert.Contains("damaged", refused.Message);
        Assert.Contains("where index 5 belongs", refused.Message);
        Assert.Contains("proctor audit verify", refused.Message);
    }

    [Fact]
    public async Task Recover_LastRecordDamaged_UnderASignedCheckpoint_RefusesToCutIt()
    {
        await using var fixture = await SignedLedgerAsync();
        var (offset, _) = LogFiles.Layout(fixture.LogFolder)[^1];
        LogFiles.Overwrite(fixture.LogFolder, offset + 40, [(byte)(LogFiles.ByteAt(fixture.LogFolder, offset + 40) ^ 1)]);
        await fixture.Store.DisposeAsync();

        await using var store = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);
        var refused = await Assert.ThrowsAsync<LedgerStoreException>(() => store.RecoverAsync(default));

        Assert.Contains("a signed checkpoint covers 12 entries", refused.Message);
        Assert.Equal(11, await store.GetSizeAsync(default)); // readers stop before it, and the verifier names the truncation
    }

    [Fact]
    public async Task Verify_GarbageAfterTheLastRecord_IsAnUnfinishedWrite_NotDamage()
    {
        await using var fixture = await SignedLedgerAsync();
        var (offset, header) = LogFiles.Layout(fixture.LogFolder)[^1];
        LogFiles.Overwrite(fixture.LogFolder, offset + header.Length, "PLOG and then nothing that checks out"u8);

        var result = await fixture.VerifyAsync();

        Assert.Null(result.Problem);
        Assert.Equal(12, result.EntriesChecked);
    }
}
