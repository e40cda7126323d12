using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Masking;

/// <summary>
/// <c>proctor demo</c> as README's tour starts it (the real binary, the sample bank, its masking rules
/// and identities), shared by the tests that call every demo tool through it with real clients.
/// </summary>
public partial class DemoGateway : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("proctor-demo-schemas-").FullName;
    private ChildProcess? _demo;

    public int Port { get; } = Ports.Free();

    /// <summary>The demo's <c>--data</c> folder: its configuration (<c>proctor.yaml</c>) and database.</summary>
    public string DataFolder => _data;

    public Uri Mcp(string? server = null) => new($"http://127.0.0.1:{Port}/mcp{(server is null ? "" : "/" + server)}");

    /// <summary>The bearer credential the demo printed for each identity: analyst, supervisor, auditor (sees SSNs whole), agent.</summary>
    public Dictionary<string, string> Credentials { get; } = [];

    /// <summary>Every demo tool with arguments that succeed: (tool, arguments).</summary>
    public List<(string Tool, JsonObject Arguments)> Calls { get; } = [];

    /// <summary>
    /// True to run the demo's own policy.yaml. The masking tests call every tool as every identity, so by default the
    /// demo gets a policy that allows that (the demo keeps a policy.yaml it finds in its folder).
    /// </summary>
    protected virtual bool ShippedPolicy => false;

    public async Task InitializeAsync()
    {
        var (first, second) = await TwoAccountsAsync();
        if (!ShippedPolicy)
        {
            await File.WriteAllTextAsync(Path.Combine(_data, "policy.yaml"),
                "rules:\n  - { id: every-demo-identity, effect: allow, subjects: { everyone: true }, targets: { servers: [bank] } }\n");
        }

        _demo = ChildProcess.Start("dotnet", [Peers.ProctorDll, "demo", "--data", _data, "--listen", $"http://127.0.0.1:{Port}"]);
        await Ports.WaitForListeningAsync(Port, TimeSpan.FromSeconds(60));
        for (var i = 0; i < 100 && !_demo.Output.Contains("agent:", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        foreach (var name in new[] { "analyst", "supervisor", "auditor", "agent" })
        {
            Credentials[name] = Regex.Match(_demo.Output, $@"^\s+{name}:\s+(\S+)\s*$", RegexOptions.Multiline).Groups[1].Value;
        }

        Calls.Add(("search_customers", new JsonObject { ["query"] = "Smith" }));
        Calls.Add(("get_customer", new JsonObject { ["customer_id"] = first.Customer }));
        Calls.Add(("get_account_balance", new JsonObject { ["account_number"] = first.Account }));
        Calls.Add(("transfer_funds", new JsonObject { ["from_account"] = first.Account, ["to_account"] = second.Account, ["amount"] = 1.25, ["memo"] = "schema test" }));
        Calls.Add(("run_sql", new JsonObject { ["query"] = "SELECT * FROM customers c JOIN accounts a USING (customer_id) LIMIT 3" }));
        Calls.Add(("generate_statement", new JsonObject { ["customer_id"] = first.Customer, ["months"] = 1 }));
    }

    public async Task DisposeAsync()
    {
        if (_demo is not null)
        {
            await _demo.DisposeAsync();
        }

        Directory.Delete(_data, recursive: true);
    }

    /// <summary>Account numbers reach a caller masked, so they are read from the bank itself (same seed as the demo's).</summary>
    private static async Task<((string Customer, string Account), (string Customer, string Account))> TwoAccountsAsync()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [Peers.ProctorDll, "sample", "bank-server", "--seed", "42"],
        });
        await using var bank = await McpClient.CreateAsync(transport);
        var result = await bank.CallToolAsync("run_sql", new Dictionary<string, object?> { ["query"] = "SELECT customer_id, account_number FROM accounts ORDER BY customer_id LIMIT 2" });
        var rows = JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!["rows"]!.AsArray();
        return (((string)rows[0]!["customer_id"]!, (string)rows[0]!["account_number"]!), ((string)rows[1]!["customer_id"]!, (string)rows[1]!["account_number"]!));
    }
}

[CollectionDefinition(nameof(DemoCollection))]
public sealed class DemoCollection : ICollectionFixture<DemoGateway>;
