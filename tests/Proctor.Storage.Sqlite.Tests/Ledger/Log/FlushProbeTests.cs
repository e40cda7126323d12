using System.Diagnostics;
using System.Numerics;
using System.Runtime.Versioning;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// The probe behind <c>proctor audit disk-check</c>, on this machine's real disk: it commits in each pattern for the
/// time given, keeps the pause it is given, reports ordered percentiles, runs where it is placed, and leaves nothing
/// in the folder, also when it is cancelled or cannot start.
/// </summary>
public sealed class FlushProbeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("proctor-probe-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Measure_CommitsInEveryPattern_KeepsEachPause_AndLeavesTheFolderEmpty()
    {
        var measured = FlushProbe.Measure(_folder, [TimeSpan.Zero, TimeSpan.FromMilliseconds(2)], TimeSpan.FromMilliseconds(300), cpus: null);

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(2)], measured.Select(m => m.Pause));
        Assert.All(measured, m =>
        {
            Assert.True(m.Commits > 0);
            Assert.True(m.P50 > 0 && m.P50 <= m.P90 && m.P90 <= m.P99 && m.P99 <= m.Max, $"{m}");
            Assert.Null(m.PlacedOn);
        });
        // 2 ms between commits: at most one commit per 2 ms of the 300 (and the last may start just before the end).
        Assert.InRange(measured[1].Commits, 1, 151);
        Assert.True(measured[0].Commits > measured[1].Commits, $"back to back {measured[0].Commits}, paused {measured[1].Commits}");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    [SupportedOSPlatform("linux")] // as the placement itself (sched_setaffinity)
    public void Measure_OnAGivenCpu_SaysSo_AndOnOneThatCannotBe_SaysAnywhere()
    {
        // The lowest CPU this process may run on: a container's cpuset need not include CPU 0.
        var allowed = BitOperations.TrailingZeroCount((ulong)(long)Process.GetCurrentProcess().ProcessorAffinity);
        var placed = FlushProbe.Measure(_folder, [TimeSpan.Zero], TimeSpan.FromMilliseconds(50), cpus: [allowed]);
        var refused = FlushProbe.Measure(_folder, [TimeSpan.Zero], TimeSpan.FromMilliseconds(50), cpus: [4096]);

        Assert.Equal([allowed], placed[0].PlacedOn);
        Assert.Null(refused[0].PlacedOn);
        Assert.True(refused[0].Commits > 0);
    }

    [Fact]
    public async Task Measure_WhileItRuns_ItsScratchFileIsNamedAsTheLogNamesASpare_SoAGatewayRemovesOneLeftByAKilledRun()
    {
        var measuring = Task.Run(() => FlushProbe.Measure(_folder, [TimeSpan.Zero], TimeSpan.FromMilliseconds(800), cpus: null));
        string[] seen = [];
        for (var tries = 0; seen.Length == 0 && tries < 400; tries++)
        {
            seen = Directory.GetFiles(_folder);
            await Task.Delay(2);
        }
        await measuring;

        var name = Path.GetFileName(Assert.Single(seen));
        Assert.Matches($"^spare-{Environment.ProcessId}-[0-9a-f]{{32}}\\.tmp$", name);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void Measure_InAFolderThatDoesNotExist_ThrowsIOException_AndCreatesNothing()
    {
        var missing = Path.Combine(_folder, "missing");

        Assert.ThrowsAny<IOException>(() => FlushProbe.Measure(missing, [TimeSpan.Zero], TimeSpan.FromMilliseconds(50), cpus: null));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void Measure_Cancelled_Throws_AndRemovesItsScratchFile()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => FlushProbe.Measure(_folder, [TimeSpan.Zero], TimeSpan.FromSeconds(30), cpus: null, cancelled.Token));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [Fact]
    public void NextOffset_KeepsEveryRecordInsideTheScratchFile_AndWrapsToItsStart()
    {
        var offset = 0L;
        var records = 0;
        do
        {
            Assert.True(offset + FlushProbe.RecordBytes <= FlushProbe.ScratchBytes, $"a record at {offset} would grow the file, and its flush would carry metadata");
            offset = FlushProbe.NextOffset(offset);
            records++;
        }
        while (offset != 0);

        Assert.Equal(FlushProbe.ScratchBytes / FlushProbe.RecordBytes, records);
    }

    [Fact]
    public void Of_TakesEachPercentileFromTheSortedSamples_AndNoSamplesGiveZeros()
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToList();

        var latency = FlushLatency.Of(TimeSpan.Zero, samples, placedOn: null);
        var none = FlushLatency.Of(TimeSpan.Zero, [], placedOn: null);

        Assert.Equal((100, 51d, 91d, 100d, 100d), (latency.Commits, latency.P50, latency.P90, latency.P99, latency.Max));
        Assert.Equal((0, 0d, 0d, 0d, 0d), (none.Commits, none.P50, none.P90, none.P99, none.Max));
    }
}
