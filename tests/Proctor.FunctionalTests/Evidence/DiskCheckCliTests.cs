using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// <c>proctor audit disk-check</c> as an operator runs it on the ledger's volume: it measures in the log folder (or the
/// database's folder before the gateway made one), on the CPUs the gateway's writer would use, prints what a call waits
/// for, leaves the folder as it found it, and refuses a missing folder or a bad duration with a clear error.
/// </summary>
public sealed class DiskCheckCliTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-disk-check-");

    private string DataFolder => Path.Combine(_folder.FullName, "data");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task DiskCheck_InTheLedgersFolder_PrintsBothPatternsAndWhatACallWaitsFor_AndLeavesTheFolderAsItWas()
    {
        var ledger = Directory.CreateDirectory(Path.Combine(DataFolder, "proctor.ledger")).FullName;
        await File.WriteAllTextAsync(Path.Combine(ledger, "00000000000000000000.seg"), "kept");
        var config = Config(pin: true);

        var (exit, output) = await ProctorCli.RunAsync("audit", "disk-check", "--config", config, "--seconds", "1");

        Assert.True(exit == 0, output);
        Assert.Contains($"Ledger disk: {ledger};", output, StringComparison.Ordinal);
        Assert.Contains("back to back", output, StringComparison.Ordinal);
        Assert.Contains("150 µs apart", output, StringComparison.Ordinal);
        Assert.Contains("Each tool call waits for two commits", output, StringComparison.Ordinal);
        Assert.Equal(["00000000000000000000.seg"], Directory.EnumerateFileSystemEntries(ledger).Select(Path.GetFileName));
        Assert.Equal("kept", await File.ReadAllTextAsync(Path.Combine(ledger, "00000000000000000000.seg")));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DiskCheck_Json_BeforeTheGatewayMadeItsLog_MeasuresTheDatabasesFolder_WhereTheWriterWouldRun(bool pin)
    {
        Directory.CreateDirectory(DataFolder);

        var (exit, output) = await ProctorCli.RunAsync("audit", "disk-check", "--config", Config(pin), "--seconds", "1", "--json");

        Assert.True(exit == 0, output);
        var report = JsonNode.Parse(output)!.AsObject();
        Assert.Equal(DataFolder, (string?)report["folder"]);
        Assert.Equal(FlushProbe.RecordBytes, (int)report["record_bytes"]!);
        var expected = pin ? DiskCompletionCpus.Find(DataFolder) : null;
        Assert.Equal(expected, report["placed_on_cpus"]?.AsArray().Select(cpu => (int)cpu!).ToList());
        var patterns = report["patterns"]!.AsArray();
        Assert.Equal([0d, 150d], patterns.Select(p => (double)p!["pause_us"]!));
        Assert.All(patterns, p =>
        {
            Assert.True((int)p!["commits"]! > 0);
            Assert.True((double)p["p50_us"]! > 0 && (double)p["p50_us"]! <= (double)p["p99_us"]! && (double)p["p99_us"]! <= (double)p["max_us"]!, p.ToJsonString());
        });
        Assert.Empty(Directory.EnumerateFileSystemEntries(DataFolder));
    }

    [Fact]
    public async Task DiskCheck_WhereStoragePathsFolderDoesNotExist_SaysSo_AndExits2()
    {
        var (exit, output) = await ProctorCli.RunAsync("audit", "disk-check", "--config", Config(pin: true), "--seconds", "1");

        Assert.Equal(2, exit);
        Assert.Contains($"error: the folder of storage.path ({DataFolder}) does not exist", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(DataFolder));
    }

    [Fact]
    public async Task DiskCheck_InAFolderThatTakesNoFile_SaysWhyAndWhatItMeansForTheGateway_AndExits1()
    {
        // /proc exists and takes no new file, as a read-only or full volume would refuse the scratch file.
        var config = Path.Combine(_folder.FullName, "proctor.yaml");
        await File.WriteAllTextAsync(config, "storage:\n  path: \"/proc/proctor.db\"\n");

        var (exit, output) = await ProctorCli.RunAsync("audit", "disk-check", "--config", config, "--seconds", "1");

        Assert.Equal(1, exit);
        Assert.Contains("error: cannot measure the disk under /proc: ", output, StringComparison.Ordinal);
        Assert.Contains("The gateway could not commit there either; check the folder's permissions and free space.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Ledger disk:", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("61")]
    [InlineData("-3")]
    public async Task DiskCheck_WithADurationOutOfRange_SaysTheRange_AndExits2(string seconds)
    {
        Directory.CreateDirectory(DataFolder);

        var (exit, output) = await ProctorCli.RunAsync("audit", "disk-check", "--config", Config(pin: true), "--seconds", seconds);

        Assert.Equal(2, exit);
        Assert.Contains($"error: --seconds must be from 1 to 60; got {seconds}.", output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(DataFolder));
    }

    private string Config(bool pin)
    {
        var path = Path.Combine(_folder.FullName, "proctor.yaml");
        File.WriteAllText(path, $"storage:\n  path: \"{Path.Combine(DataFolder, "proctor.db")}\"\n  pinLedgerWriter: {(pin ? "true" : "false")}\n");
        return path;
    }
}
