using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Policy;

/// <summary>
/// The "rug pull" end to end: a real TypeScript SDK server changes a tool's description while the gateway runs; a real
/// client of either era (the C# SDK, session era; the TypeScript SDK v2 pinned to 2026-07-28) sees the tool vanish from
/// the list and its call refused; the real <c>proctor tools accept</c> binary, run against the configuration's database,
/// makes it usable again; the change and the acceptance are in the ledger.
/// </summary>
public sealed class PinnedToolDefinitionTests : IAsyncLifetime
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-pins-");
    private GatewayUnderTest _gateway = null!;

    private string ConfigPath => Path.Combine(_folder.FullName, "proctor.yaml");

    private string DatabasePath => Path.Combine(_folder.FullName, "proctor-data", "proctor.db");

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        var storage = $"storage:\n  path: \"{DatabasePath}\"\n";
        await File.WriteAllTextAsync(ConfigPath, storage);
        _gateway = await GatewayUnderTest.StartAsync(
            $$"""
              bank:
                command: "node"
                args: ["{{Path.Combine(Peers.RepositoryRoot, "tests", "node", "rug-pull-server.mjs")}}"]
            """,
            storage);
    }

    [Fact]
    public async Task ChangedDefinition_HiddenAndRefused_UntilAcceptedWithTheCli()
    {
        await using var client = await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _gateway.Mcp("bank"),
            TransportMode = HttpTransportMode.StreamableHttp,
        }));
        Assert.Equal(["mutate", "search"], (await client.ListToolsAsync()).Select(t => t.Name).Order());
        Assert.Contains("found: Ada", Clients.Text(await client.CallToolAsync("search")), StringComparison.Ordinal);

        await client.CallToolAsync("mutate");

        Assert.Equal(["mutate"], (await client.ListToolsAsync()).Select(t => t.Name));
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("search").AsTask());
        Assert.Contains("proctor tools accept bank search", refused.Message, StringComparison.Ordinal);
        var changed = Assert.Single(await LedgerEvents.ReadAsync(DatabasePath, "tool.definition_changed"));
        Assert.Equal(("bank", "search"), ((string?)changed["details"]!["server"], (string?)changed["details"]!["tool"]));

        var (exit, output) = await ProctorAsync("tools", "accept", "bank", "search");
        Assert.True(exit == 0, output);

        Assert.Equal(["mutate", "search"], (await client.ListToolsAsync()).Select(t => t.Name).Order());
        Assert.Contains("found: Ada", Clients.Text(await client.CallToolAsync("search")), StringComparison.Ordinal);
        var accepted = Assert.Single(await LedgerEvents.ReadAsync(DatabasePath, "tool.definition_accepted"));
        Assert.Equal($"cli:{Environment.UserName}", (string?)accepted["actor"]!["subject"]);
        Assert.Equal((string?)changed["details"]!["seen"], (string?)accepted["details"]!["accepted"]);
    }

    [Fact]
    public async Task ChangedDefinition_ModernClient_HiddenAndRefused_UntilAcceptedWithTheCli()
    {
        await using var client = await TypeScriptSession.ConnectAsync("v2", _gateway.Mcp("bank"), bearer: null);
        Assert.Equal("2026-07-28", client.ProtocolVersion);
        Assert.Equal(["mutate", "search"], await client.ListToolsAsync());
        Assert.Contains("found: Ada", (await client.CallToolAsync("search"))["result"]!.ToJsonString(), StringComparison.Ordinal);

        await client.CallToolAsync("mutate");

        Assert.Equal(["mutate"], await client.ListToolsAsync());
        var refused = await client.CallToolAsync("search");
        Assert.True(refused["error"] is JsonObject, refused.ToJsonString());
        Assert.Equal((-32063, "policy.tool_definition_changed"), ((int)refused["error"]!["code"]!, (string?)refused["error"]!["data"]!["reason"]));
        Assert.Contains("proctor tools accept bank search", (string?)refused["error"]!["message"], StringComparison.Ordinal);
        var changed = Assert.Single(await LedgerEvents.ReadAsync(DatabasePath, "tool.definition_changed"));

        var (exit, output) = await ProctorAsync("tools", "accept", "bank", "search");
        Assert.True(exit == 0, output);

        Assert.Equal(["mutate", "search"], await client.ListToolsAsync());
        Assert.Contains("found: Ada", (await client.CallToolAsync("search"))["result"]!.ToJsonString(), StringComparison.Ordinal);
        var accepted = Assert.Single(await LedgerEvents.ReadAsync(DatabasePath, "tool.definition_accepted"));
        Assert.Equal((string?)changed["details"]!["seen"], (string?)accepted["details"]!["accepted"]);
    }

    private async Task<(int Exit, string Output)> ProctorAsync(params string[] args)
    {
        await using var process = ChildProcess.Start("dotnet", [Peers.ProctorDll, .. args, "--config", ConfigPath], new Dictionary<string, string> { ["COLUMNS"] = "200" });
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _folder.Delete(recursive: true);
    }
}
