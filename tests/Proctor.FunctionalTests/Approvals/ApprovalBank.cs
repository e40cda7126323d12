using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Store;
using Proctor.FunctionalTests.Identity;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Storage.Sqlite.Approvals;

namespace Proctor.FunctionalTests.Approvals;

/// <summary>
/// The sample bank behind a gateway whose policy holds transfers above $10,000 for approval by the group
/// <c>approvers</c>, a real OpenID provider (analyst alice; supervisor bob, an approver), and a configuration file for
/// <c>proctor approvals</c> naming the same database and issuer. The data folder can outlive one gateway (a restart).
/// </summary>
internal sealed class ApprovalBank : IAsyncDisposable
{
    public const decimal Amount = 10_000.5m;

    private readonly string _extraSections;

    private const string Policy = """
        policy:
          rules:
            - { id: staff-use-bank, effect: allow, subjects: { groups: [analysts, supervisors] }, targets: { servers: [bank], tools: [get_account_balance] } }
            - { id: transfers-up-to-10k, effect: allow, subjects: { groups: [analysts, supervisors] }, targets: { servers: [bank], tools: [transfer_funds] }, condition: "args.amount <= 10000" }
            - id: transfers-above-10k-need-approval
              effect: approve
              subjects: { groups: [analysts, supervisors] }
              targets: { servers: [bank], tools: [transfer_funds] }
              condition: "args.amount > 10000"
              message: Transfers above $10,000 need a supervisor's approval.
              approval: { approvers: [approvers] }
        """;

    private ApprovalBank(OidcProvider provider, GatewayUnderTest gateway, string resource, string folder, (string From, string To) accounts, string extraSections)
    {
        _extraSections = extraSections;
        Provider = provider;
        Gateway = gateway;
        Resource = resource;
        Folder = folder;
        Accounts = accounts;
    }

    public OidcProvider Provider { get; }

    public GatewayUnderTest Gateway { get; private set; }

    public string Resource { get; private set; }

    /// <summary>The gateway's data folder (database, ledger, keys), kept across restarts, deleted on dispose.</summary>
    public string Folder { get; }

    public string DatabasePath => Path.Combine(Folder, "proctor.db");

    /// <summary>What <c>proctor approvals</c> reads: the database and the identity section its approvers' tokens are checked against.</summary>
    /// <summary>The approvers' configuration for <c>proctor approvals</c>: storage, identity and the extra sections (e.g. the webhooks).</summary>
    public string CliConfig => Path.Combine(Folder, "approvers.yaml");

    /// <summary>Two accounts of the bank (seed 42) that each hold more than <see cref="Amount"/>.</summary>
    public (string From, string To) Accounts { get; }

    /// <param name="extraSections">More top-level sections for the gateway (e.g. <c>notifications:</c>), ending in a newline.</param>
    public static async Task<ApprovalBank> StartAsync(string holdTime, string extraSections = "")
    {
        Peers.RequireInstalled();
        var provider = await OidcProvider.StartAsync();
        var folder = Directory.CreateTempSubdirectory("proctor-approvals-").FullName;
        var accounts = await RichestAccountsAsync();
        var (gateway, resource) = await StartGatewayAsync(provider, folder, holdTime, extraSections);
        var bank = new ApprovalBank(provider, gateway, resource, folder, accounts, extraSections);
        await bank.WriteCliConfigAsync();
        return bank;
    }

    /// <summary>Stops this gateway (as SIGTERM does) and starts another on the same data folder.</summary>
    public async Task RestartAsync(string holdTime, Func<Task>? whileDown = null)
    {
        await Gateway.DisposeAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }

        (Gateway, Resource) = await StartGatewayAsync(Provider, Folder, holdTime, _extraSections);
        await WriteCliConfigAsync();
    }

    public async Task<McpClient> ConnectAsync(string identity) =>
        await Clients.ConnectAsync(Gateway.Mcp(), "2025-11-25", bearer: await Provider.TokenAsync(identity, Resource));

    public Task<string> TokenAsync(string identity) => Provider.TokenAsync(identity, Resource);

    public static Dictionary<string, object?> Transfer((string From, string To) accounts) =>
        new() { ["from_account"] = accounts.From, ["to_account"] = accounts.To, ["amount"] = Amount, ["memo"] = "approval test" };

    public static async Task<decimal> BalanceAsync(McpClient client, string account)
    {
        var result = await client.CallToolAsync("bank__get_account_balance", new Dictionary<string, object?> { ["account_number"] = account });
        return decimal.Parse(JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!["balance"]!.ToJsonString(), CultureInfo.InvariantCulture);
    }

    /// <summary>The request a held call made, once it is in the database.</summary>
    public async Task<ApprovalRequest> PendingAsync()
    {
        ApprovalRequest? found = null;
        await Eventually.TrueAsync(async () => (found = (await new SqliteApprovalStore(DatabasePath).ListAsync(new ApprovalQuery(ApprovalState.Pending), default)).FirstOrDefault()) is not null, TimeSpan.FromSeconds(15));
        return found!;
    }

    /// <summary>The request <paramref name="id"/> as the database holds it, whatever its state.</summary>
    public async Task<ApprovalRequest> StoredAsync(string id) =>
        await new SqliteApprovalStore(DatabasePath).FindAsync(id, default) ?? throw new InvalidOperationException($"no approval request {id}");

    /// <summary>POSTs to <c>/api/approvals/{id}/{verb}</c> as <paramref name="identity"/>; returns the status and body.</summary>
    public async Task<(int Status, JsonNode Body)> DecideOverRestAsync(string id, string verb, string identity, string? comment = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.BaseAddress, $"/api/approvals/{id}/{verb}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(identity));
        if (comment is not null)
        {
            request.Content = new StringContent(new JsonObject { ["comment"] = comment }.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>GETs <paramref name="path"/> as <paramref name="identity"/>; returns the status and body.</summary>
    public async Task<(int Status, JsonNode Body)> GetOverRestAsync(string path, string identity)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Gateway.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(identity));
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Provider.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    private static Task<(GatewayUnderTest, string)> StartGatewayAsync(OidcProvider provider, string folder, string holdTime, string extraSections) =>
        IdentityGateway.StartGatewayTrustingAsync(provider,
            upstreams: $$"""
              bank:
                command: "dotnet"
                args: ["{{Peers.ProctorDll}}", "sample", "bank-server", "--seed", "42"]
            """,
            identitySetting: "roles: { approver: [\"approvers\"], auditor: [\"auditors\"] }",
            sections: $"storage: {{ path: \"{Path.Combine(folder, "proctor.db")}\" }}\napprovals: {{ holdTime: \"{holdTime}\" }}\n{extraSections}{Policy}\n");

    private Task WriteCliConfigAsync() => File.WriteAllTextAsync(CliConfig, $"""
        storage: {"{"} path: "proctor.db" {"}"}
        identity:
          resource: "{Resource}"
          issuers: ["{Provider.IssuerIdentifier}"]
          roles: {"{"} approver: ["approvers"] {"}"}
        {_extraSections}
        """);

    /// <summary>Account numbers reach callers masked, so they are read from the bank itself (same seed as the gateway's).</summary>
    public static async Task<(string From, string To)> RichestAccountsAsync()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions { Command = "dotnet", Arguments = [Peers.ProctorDll, "sample", "bank-server", "--seed", "42"] });
        await using var bank = await McpClient.CreateAsync(transport);
        var result = await bank.CallToolAsync("run_sql", new Dictionary<string, object?> { ["query"] = "SELECT account_number FROM accounts ORDER BY balance DESC LIMIT 2" });
        var rows = JsonNode.Parse(result.StructuredContent!.Value.GetRawText())!["rows"]!.AsArray();
        return ((string)rows[0]!["account_number"]!, (string)rows[1]!["account_number"]!);
    }
}
