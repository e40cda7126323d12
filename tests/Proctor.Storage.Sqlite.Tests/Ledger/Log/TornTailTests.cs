using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// What a crash leaves: the last write stopped at any byte. For every byte offset of the last two batches, the log cut
/// there (the rest zeros, as on a preallocated segment, or stale bytes) is brought back by the next start to the last
/// complete batch; the ledger verifies and takes appends after it.
/// </summary>
public class TornTailTests
{
    private const int Batches = 6, PerBatch = 3, Signed = 4 * PerBatch;

    [Theory]
    [InlineData((byte)0x00)]
    [InlineData((byte)0xA5)]
    public async Task Recover_LogCutAtEveryByteOfItsLastTwoBatches_KeepsTheCompleteBatches_AndVerifies(byte stale)
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        for (var batch = 0; batch < Batches; batch++)
        {
            await fixture.Store.AppendAsync([.. Enumerable.Range(batch * PerBatch, PerBatch).Select(i => EntryDraft.From(LedgerFixture.Event(i)))], default);
            if (batch == Signed / PerBatch - 1)
            {
                await fixture.Checkpointer.CheckpointAsync(default);
            }
        }
        await fixture.Checkpointer.DisposeAsync();
        await fixture.Store.DisposeAsync();
        var segment = Assert.Single(LogFiles.Segments(fixture.LogFolder));
        var whole = await File.ReadAllBytesAsync(segment);
        var layout = LogFiles.Layout(fixture.LogFolder);
        var lastTwo = layout[^2].Offset;
        var end = layout[^1].Offset + layout[^1].Header.Length;

        for (var cut = lastTwo; cut < end; cut++)
        {
            var torn = (byte[])whole.Clone();
            torn.AsSpan((int)cut, (int)(end - cut)).Fill(stale);
            await File.WriteAllBytesAsync(segment, torn);
            // A cut can leave a frame as it was: its last bytes may already equal the stale byte (a checksum ending in
            // 0x00 or 0xA5, about one run in a hundred). Such a frame is whole, and recovery rightly keeps it.
            var wholeFrames = layout.TakeWhile(f => torn.AsSpan((int)f.Offset, f.Header.Length).SequenceEqual(whole.AsSpan((int)f.Offset, f.Header.Length))).ToList();
            var complete = wholeFrames.Count * PerBatch;
            var keptEnd = wholeFrames.Count == 0 ? layout[0].Offset : wholeFrames[^1].Offset + wholeFrames[^1].Header.Length;
            var tailLooksUnwritten = !torn.AsSpan((int)keptEnd, (int)(end - keptEnd)).ContainsAnyExcept((byte)0);

            await using var store = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);
            await store.RecoverAsync(default);

            Assert.Equal(complete, await store.GetSizeAsync(default));
            Assert.Equal(tailLooksUnwritten ? 0 : 1, store.Recovery.Cuts.Count);
            await using (var ledger = new AuditLedger(store))
            {
                Assert.Equal(complete, (await ledger.AppendAsync(LedgerFixture.Event(99))).Index);
            }
            var verified = await new Proctor.Ledger.Verification.LedgerVerifier(store, store, fixture.Signer.PublicKey).VerifyAsync();
            Assert.True(verified.Problem is null, $"cut at {cut}: {verified.Problem?.Message}");
            Assert.Equal(complete + 1, verified.EntriesChecked);
        }
    }
}
