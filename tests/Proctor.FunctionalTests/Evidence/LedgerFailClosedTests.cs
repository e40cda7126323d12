using ModelContextProtocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// Audit before forward, at the gateway: while another process holds the ledger's log locked, a call
/// is refused with a clear reason and never reaches the upstream; once the lock is gone, calls work again
/// and the ledger still verifies.
/// </summary>
public sealed class LedgerFailClosedTests
{
    [Fact]
    public async Task LedgerLocked_CallIsRefusedAndNotForwarded_ThenServiceResumesByItself()
    {
        var bank = $"""
              bank:
                command: dotnet
                args: ["{Peers.ProctorDll}", "sample", "bank-server"]
            """;
        // Each refusal below waits out the lock timeout; a short one keeps the test quick (the default is 5 s).
        await using var gateway = await GatewayUnderTest.StartAsync(bank, storageKeys: "lockTimeout: \"1s\"");
        await using var client = await Clients.ConnectAsync(gateway.Mcp("bank"), "2025-11-25");
        var account = (await client.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 1 }))
            .StructuredContent!.Value.GetProperty("customers")[0].GetProperty("customer_id").GetString();

        McpProtocolException refused;
        // .NET takes an exclusive flock(2) for FileShare.None: another process holding the log's writer lock.
        await using (new FileStream(Path.Combine(Path.ChangeExtension(gateway.DatabasePath, ".ledger"), "lock"), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            refused = await Assert.ThrowsAsync<McpProtocolException>(() =>
                client.CallToolAsync("get_customer", new Dictionary<string, object?> { ["customer_id"] = account }).AsTask());
            var unopened = await Assert.ThrowsAnyAsync<Exception>(() => Clients.ConnectAsync(gateway.Mcp("bank"), "2025-11-25"));
            Assert.Contains("could not record the opening of this session", unopened.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains("could not record", refused.Message, StringComparison.Ordinal);
        Assert.Contains("1000 ms", refused.Message, StringComparison.Ordinal); // the configured wait, not the default, is what the caller waited
        Assert.Contains("not forwarded", refused.Message, StringComparison.Ordinal);
        var resumed = await client.CallToolAsync("get_customer", new Dictionary<string, object?> { ["customer_id"] = account });
        Assert.NotEqual(true, resumed.IsError);

        var config = Path.Combine(gateway.DataFolder, "cli.yaml");
        await File.WriteAllTextAsync(config, $"storage:\n  path: \"{gateway.DatabasePath}\"\n");
        var (verified, verifyOutput) = await ProctorCli.RunAsync("audit", "verify", "--config", config);
        Assert.True(verified == 0, verifyOutput);
    }
}
