using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// Segments are created full size and zero-filled: at once when a roll finds no spare, a megabyte at a time (each synced)
/// when the writer prepares the next one in the background. Both make the same file, and a log that rolls through
/// spares made that way verifies.
/// </summary>
public sealed class SegmentTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proctor-segment-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(1 << 20, false)]
    [InlineData(1 << 20, true)]
    [InlineData((3 << 20) + 123, false)]
    [InlineData((3 << 20) + 123, true)]
    public void WriteZeroed_MakesAFileOfExactlyTheLength_AllZeros_WhicheverWayItSyncs(long length, bool syncEachChunk)
    {
        var path = Path.Combine(_folder, "spare.tmp");

        Segment.WriteZeroed(path, length, syncEachChunk);

        var bytes = File.ReadAllBytes(path);
        Assert.Equal(length, bytes.LongLength);
        Assert.False(bytes.AsSpan().ContainsAnyExcept((byte)0), "a segment starts as zeros: the scanner reads a zero header as the end of the log");
    }

    [Fact]
    public void WriteZeroed_NeverReplacesAFileThatExists()
    {
        var path = Path.Combine(_folder, "taken.tmp");
        File.WriteAllText(path, "a segment in use");

        Assert.Throws<IOException>(() => Segment.WriteZeroed(path, 1 << 20, syncEachChunk: true));
        Assert.Equal("a segment in use", File.ReadAllText(path));
    }

    [Fact]
    public async Task Append_PastSeveralSegmentsOfTwoMegabytes_RollsThroughSparesMadeChunkByChunk_AndVerifies()
    {
        var twoMegabytes = new LogOptions { FirstSegmentBytes = 2 << 20, MaxSegmentBytes = 2 << 20 };
        await using var fixture = await LedgerFixture.CreateAsync(log: twoMegabytes);

        // Batches compress well: append until the log has rolled twice, within a bound.
        var appended = 0;
        string[] segments;
        do
        {
            var receipts = await fixture.AppendAtOnceAsync(20_000, from: appended);
            Assert.Equal(Enumerable.Range(appended, 20_000).Select(i => (long)i), receipts.Select(r => r.Index));
            appended += 20_000;
            segments = Directory.GetFiles(fixture.LogFolder, "*.seg");
        }
        while (segments.Length < 3 && appended < 400_000);
        await fixture.Checkpointer.CheckpointAsync(default);

        Assert.True(segments.Length >= 3, $"{segments.Length} segment(s) after {appended} events: the appends should have filled at least two");
        Assert.All(segments, segment => Assert.Equal(2 << 20, new FileInfo(segment).Length));
        Assert.Null((await fixture.VerifyAsync()).Problem);
    }
}
