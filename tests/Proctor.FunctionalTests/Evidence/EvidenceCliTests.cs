using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// <c>proctor evidence export</c> over what a real gateway recorded, then <c>proctor evidence verify</c> on a copy of the
/// package alone, in an empty folder with no configuration and no database: the examiner's machine.
/// </summary>
public sealed class EvidenceCliTests : IAsyncLifetime
{
    private GatewayUnderTest _gateway = null!;
    private string _config = "";

    public async Task InitializeAsync()
    {
        _gateway = await GatewayUnderTest.StartAsync($"""
              bank:
                command: dotnet
                args: ["{Peers.ProctorDll}", "sample", "bank-server"]
            """);
        await using (var client = await Clients.ConnectAsync(_gateway.Mcp("bank"), "2025-11-25"))
        {
            await client.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 2 });
        }
        await _gateway.StopAsync(); // signs a last checkpoint over everything
        _config = Path.Combine(_gateway.DataFolder, "proctor.yaml");
        await File.WriteAllTextAsync(_config, $"storage:\n  path: \"{_gateway.DatabasePath}\"\n");
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task ExportThenVerify_OnAMachineWithoutGatewayData_Verifies_AndTheExportIsRecorded()
    {
        var package = Path.Combine(_gateway.DataFolder, "evidence.zip");
        var (exported, exportOutput) = await ProctorCli.RunAsync("evidence", "export", "--from", "2020-01-01", "--to", "2999-01-01", "--server", "bank", "--out", package, "--config", _config);
        Assert.True(exported == 0, exportOutput);
        Assert.Contains("recorded in the ledger as evidence.export", exportOutput);

        var examiner = Directory.CreateTempSubdirectory("proctor-examiner-").FullName;
        var copy = Path.Combine(examiner, "evidence.zip");
        File.Copy(package, copy);
        var key = (await File.ReadAllTextAsync(Path.Combine(_gateway.DataFolder, "ledger-public.key"))).Trim();
        var (verified, verifyOutput) = await InFolderAsync(examiner, Peers.ProctorDll, "evidence", "verify", "evidence.zip", "--key", key);
        Assert.True(verified == 0, verifyOutput);
        Assert.StartsWith("VERIFIED:", verifyOutput.Trim());
        Assert.DoesNotContain("NOT pinned", verifyOutput);
        Assert.Equal(["evidence.zip"], Directory.GetFiles(examiner).Select(Path.GetFileName));
        var (standalone, standaloneOutput) = await InFolderAsync(examiner, StandaloneVerifierDll, "evidence.zip", "--key", key, "--json");
        Assert.True(standalone == 0, standaloneOutput);
        Assert.True((bool)JsonNode.Parse(standaloneOutput)!["key_pinned"]!);

        var recorded = (await StoredEvents.OfKindAsync(_gateway.DatabasePath, "evidence.export")).Single()["details"]!;
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(package))), (string)recorded["package_sha256"]!);
        Assert.Equal("bank", (string)recorded["server"]!);
    }

    [Fact]
    public async Task Verify_ExitCodes_OneWhenAltered_TwoWhenNotAPackage_JsonListsTheProblems()
    {
        var package = Path.Combine(_gateway.DataFolder, "codes.zip");
        var (exported, exportOutput) = await ProctorCli.RunAsync("evidence", "export", "--from", "2020-01-01", "--to", "2999-01-01", "--out", package, "--config", _config);
        Assert.True(exported == 0, exportOutput);
        var altered = Path.Combine(_gateway.DataFolder, "altered.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(package, System.IO.Compression.ZipArchiveMode.Read))
        using (var output = System.IO.Compression.ZipFile.Open(altered, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var entry in zip.Entries)
            {
                using var source = new StreamReader(entry.Open());
                var text = source.ReadToEnd();
                using var target = new StreamWriter(output.CreateEntry(entry.FullName).Open());
                target.Write(entry.FullName == "events.jsonl" ? text.Replace("search_customers", "search_accounts") : text);
            }
        }
        var notAPackage = Path.Combine(_gateway.DataFolder, "proctor.yaml");

        var (alteredExit, alteredOutput) = await ProctorCli.RunAsync("evidence", "verify", altered, "--json");
        var (unreadable, unreadableOutput) = await ProctorCli.RunAsync("evidence", "verify", notAPackage);

        Assert.True(alteredExit == 1, alteredOutput);
        var verdict = JsonNode.Parse(alteredOutput)!;
        Assert.False((bool)verdict["verified"]!);
        Assert.Contains("file.modified", verdict["problems"]!.AsArray().Select(p => (string)p!["code"]!));
        Assert.True(unreadable == 2, unreadableOutput);
        Assert.Contains("not a zip archive", unreadableOutput);
    }

    /// <summary>proctor-verify, built beside the tests (the functional tests' project builds it).</summary>
    private static string StandaloneVerifierDll => Path.Combine(Peers.RepositoryRoot, "src", "Proctor.Evidence.Verifier", "bin",
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug", "net10.0", "proctor-verify.dll");

    private static async Task<(int Exit, string Output)> InFolderAsync(string folder, string dll, params string[] args)
    {
        await using var process = ChildProcess.Start("dotnet", [dll, .. args], new Dictionary<string, string> { ["COLUMNS"] = "200" }, workingDirectory: folder);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output);
    }
}
