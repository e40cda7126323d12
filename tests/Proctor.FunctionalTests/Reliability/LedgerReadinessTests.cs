using ModelContextProtocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Reliability;

/// <summary>
/// docs/RELIABILITY.md, "The ledger cannot commit": calls are refused with a message that points at /readyz,
/// so /readyz says so (503, <c>ledger.state: failing</c>), and says writable again once a call commits.
/// </summary>
public sealed class LedgerReadinessTests
{
    [Fact]
    public async Task LedgerLocked_ReadyzIsNotReadyAndNamesTheLedger_ThenReadyOnceACallCommits()
    {
        Peers.RequireInstalled();
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              stress:
                command: "node"
                args: ["{{StressServer.Script}}", "stdio"]
            """, storageKeys: "lockTimeout: \"1s\""); // the refusal waits out the lock timeout: keep it short
        await using var client = await Clients.ConnectAsync(gateway.Mcp("stress"), "2025-11-25");
        var before = await Readyz.GetAsync(gateway);

        (int Status, System.Text.Json.Nodes.JsonObject Body, string Text) during;
        await using (await LedgerEvents.LockAsync(gateway.DatabasePath))
        {
            var refused = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "x" }).AsTask());
            Assert.Contains("/readyz", refused.Message, StringComparison.Ordinal);
            during = await Readyz.GetAsync(gateway);
        }

        await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "y" });
        var after = await Readyz.GetAsync(gateway);

        Assert.Equal(200, before.Status);
        Assert.Equal("writable", (string)before.Body["ledger"]!["state"]!);
        Assert.Equal(503, during.Status);
        Assert.Equal("failing", (string)during.Body["ledger"]!["state"]!);
        Assert.Null(during.Body["ledger"]!["reason"]); // the store's message is for auditors and the log
        Assert.Equal(200, after.Status);
        Assert.Equal("writable", (string)after.Body["ledger"]!["state"]!);
    }
}
