using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// A real session through the gateway, then the examiner's tools on what it recorded: the ledger
/// verifies, the session replays in order and masked, an event's proof checks offline with the public
/// key alone, and an edited byte in the log is caught at its index.
/// </summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    private string _folder = "";
    private string _config = "";
    private string _database = "";

    public async Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("proctor-audit-").FullName;
        _database = Path.Combine(_folder, "proctor.db");
        _config = Path.Combine(_folder, "proctor.yaml");
        await File.WriteAllTextAsync(_config, $"storage:\n  path: \"{_database}\"\n");
        var bank = $"""
              bank:
                command: dotnet
                args: ["{Peers.ProctorDll}", "sample", "bank-server"]
            """;
        await using var gateway = await GatewayUnderTest.StartAsync(bank, $"storage:\n  path: \"{_database}\"");
        await using var client = await Clients.ConnectAsync(gateway.Mcp("bank"), "2025-11-25");
        await client.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 3 });
        await client.CallToolAsync("get_customer", new Dictionary<string, object?> { ["customer_id"] = "NO-SUCH-ID" });
        await client.CallToolAsync("get_account_balance", new Dictionary<string, object?> { ["account_number"] = "000" });
    }

    [Fact]
    public async Task AuditVerify_UntouchedLedger_IsIntact()
    {
        var (exit, output) = await ProctorCli.RunAsync("audit", "verify", "--config", _config, "--json");

        Assert.Equal(0, exit);
        var result = JsonNode.Parse(output)!;
        Assert.True((bool)result["intact"]!);
        Assert.True((long)result["entries"]! >= 10, output); // ledger.key, config.load, session open and close, three requests and three responses
        Assert.True((int)result["checkpoints"]! >= 1, output); // a clean shutdown signs the final tree
    }

    [Fact]
    public async Task SessionsReplay_TheSession_ShowsEachRequestThenItsResponse_InOrder_Masked()
    {
        var sessionId = await OnlySessionAsync();

        var (exit, output) = await ProctorCli.RunAsync("sessions", "replay", sessionId, "--speed", "0", "--json", "--config", _config);

        Assert.Equal(0, exit);
        var all = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        Assert.Equal("session.open", (string)all[0]["kind"]!);
        Assert.Equal("session.close", (string)all[^1]["kind"]!); // the client closed it (DELETE) before the gateway stopped
        Assert.Equal("/mcp/bank", (string)all[0]["details"]!["route"]!);
        var events = all[1..^1];
        Assert.Equal(["call.request", "call.response", "call.request", "call.response", "call.request", "call.response"], events.Select(e => (string)e["kind"]!));
        Assert.Equal(["search_customers", "get_customer", "get_account_balance"], events.Where((_, i) => i % 2 == 0).Select(e => (string)e["action"]!["name"]!));
        Assert.Equal(all.Select(e => (double)e["offset_ms"]!).Order(), all.Select(e => (double)e["offset_ms"]!));
        Assert.Equal("tool_error", (string)events[3]["outcome"]!["status"]!);
        Assert.Contains("ssn", events[1]["traffic"]!["masked_entities"]!.AsObject().Select(p => p.Key));
        Assert.Equal(1, (int)events[1]["traffic"]!["items_returned"]!); // one text block (the structured content rides along)
        Assert.True((long)events[1]["traffic"]!["bytes_out"]! > 0);
        Assert.DoesNotMatch(@"\b\d{3}-\d{2}-\d{4}\b", output);
    }

    [Fact]
    public async Task AuditProof_VerifiesOfflineWithThePublicKey_AndFailsWhenEdited()
    {
        var sessionId = await OnlySessionAsync();
        var (_, shown) = await ProctorCli.RunAsync("sessions", "show", sessionId, "--json", "--config", _config);
        var eventId = (string)JsonNode.Parse(shown)!["events"]!.AsArray().First(e => (string)e!["kind"]! == "call.response")!["id"]!;
        var proof = Path.Combine(_folder, "proof.json");
        var key = Path.Combine(_folder, "ledger-public.key");

        var (exported, exportOutput) = await ProctorCli.RunAsync("audit", "proof", eventId, "--out", proof, "--config", _config);
        var (valid, validOutput) = await ProctorCli.RunAsync("audit", "verify-proof", proof, "--key", key);
        var edited = (await File.ReadAllTextAsync(proof)).Replace("\"index\":", "\"index\":1", StringComparison.Ordinal);
        await File.WriteAllTextAsync(proof, edited);
        var (invalid, invalidOutput) = await ProctorCli.RunAsync("audit", "verify-proof", proof, "--key", key);

        Assert.True(exported == 0, exportOutput);
        Assert.True(valid == 0, validOutput);
        Assert.StartsWith("Valid", validOutput.Trim(), StringComparison.Ordinal);
        Assert.Equal(1, invalid);
        Assert.Contains("INVALID", invalidOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_OneByteOfAStoredEventEdited_IsCaughtAtItsIndex()
    {
        var index = (await StoredEvents.ReadAsync(_database)).First(e => e.Kind == "call.response").Index;
        StoredEvents.EditEntry(_database, index, entry =>
        {
            Assert.Contains("\"ok\"", entry, StringComparison.Ordinal);
            return entry.Replace("\"ok\"", "\"OK\"", StringComparison.Ordinal);
        });

        var (exit, output) = await ProctorCli.RunAsync("audit", "verify", "--config", _config);

        Assert.Equal(1, exit);
        Assert.Contains($"NOT INTACT at index {index}", output, StringComparison.Ordinal);
    }

    private async Task<string> OnlySessionAsync()
    {
        var (exit, output) = await ProctorCli.RunAsync("sessions", "list", "--json", "--config", _config);
        Assert.True(exit == 0, output);
        return (string)Assert.Single(JsonNode.Parse(output)!.AsArray())!["session_id"]!;
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
