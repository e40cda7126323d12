using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Storage.Sqlite.Ledger.Log;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// <c>storage.pinLedgerWriter</c> as the gateway runs it (decision 0063): on, the ledger's writer goes where the disk
/// holding the log takes its interrupts, and the start log says so (nowhere, and no line, when that is every CPU); off,
/// nowhere and no line. Calls are recorded either way.
/// </summary>
public sealed class LedgerWriterPlacementTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-placement-");

    private string DatabasePath => Path.Combine(_folder.FullName, "data", "proctor.db");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Gateway_PinLedgerWriter_PlacesTheWriterWhereTheLogsDiskTakesItsInterrupts_AndLogsIt(bool pin)
    {
        var log = new CapturedLog();
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """, $"storage:\n  path: \"{DatabasePath}\"\n  pinLedgerWriter: {(pin ? "true" : "false")}", log: log, logLevel: "Information");
        await using (var client = await Clients.ConnectAsync(gateway.Mcp("everything"), "2025-11-25"))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "recorded" });
        }

        var ledgerFolder = Path.Combine(_folder.FullName, "data", "proctor.ledger");
        var expected = pin ? DiskCompletionCpus.Find(ledgerFolder) : null;
        var placed = log.Lines.Where(line => line.Contains("[3370]", StringComparison.Ordinal)).ToList();
        if (expected is null)
        {
            Assert.Empty(placed);
        }
        else
        {
            Assert.StartsWith("Information ", Assert.Single(placed), StringComparison.Ordinal);
            Assert.Contains($"its writer runs on CPU {string.Join(",", expected)}, which takes the completion interrupts of the disk holding {ledgerFolder}", placed[0], StringComparison.Ordinal);
        }
        Assert.DoesNotContain(log.Lines, line => line.Contains("[3371]", StringComparison.Ordinal));
        Assert.Single(await StoredEvents.OfKindAsync(DatabasePath, "call.request"), e => e.ToJsonString().Contains("\"echo\"", StringComparison.Ordinal));
        Assert.Single(await StoredEvents.OfKindAsync(DatabasePath, "call.response"), e => e.ToJsonString().Contains("recorded", StringComparison.Ordinal));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
