using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Proctor.Approvals.Grants;
using Proctor.FunctionalTests.Identity;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Storage.Sqlite.Grants;

namespace Proctor.FunctionalTests.Access;

/// <summary>
/// The sample bank behind a gateway whose policy lets analysts use <c>run_sql</c> only under a just-in-time grant that
/// someone in <c>approvers</c> approves, a real OpenID provider (analyst alice, who also holds the breakglass role;
/// supervisor bob, an approver), and a configuration for <c>proctor access|reviews</c> naming the same database, issuer
/// and policy. The gateway runs on a fake clock, so a grant's expiry is reached by moving it, never by waiting.
/// </summary>
internal sealed class GrantBank : IAsyncDisposable
{
    public const string Sql = "bank__run_sql";

    private const string Policy = """
        policy:
          rules:
            - { id: staff-read-balances, effect: allow, subjects: { groups: [analysts, supervisors] }, targets: { servers: [bank], tools: [get_account_balance] } }
            - id: sql-under-grant
              effect: grant
              subjects: { groups: [analysts] }
              targets: { servers: [bank], tools: [run_sql] }
              approval: { approvers: [approvers] }
        """;

    private GrantBank(OidcProvider provider, GatewayUnderTest gateway, string resource, string folder, FakeTimeProvider clock)
    {
        Provider = provider;
        Gateway = gateway;
        Resource = resource;
        Folder = folder;
        Clock = clock;
    }

    public OidcProvider Provider { get; }

    public GatewayUnderTest Gateway { get; private set; }

    public string Resource { get; private set; }

    public string Folder { get; }

    /// <summary>The gateway's clock; starts at the real time, moves only when a test moves it.</summary>
    public FakeTimeProvider Clock { get; }

    public string DatabasePath => Path.Combine(Folder, "proctor.db");

    public string CliConfig => Path.Combine(Folder, "access.yaml");

    public SqliteGrantStore Store => new(DatabasePath);

    public static async Task<GrantBank> StartAsync(string extraSections = "")
    {
        Peers.RequireInstalled();
        var provider = await OidcProvider.StartAsync();
        var folder = Directory.CreateTempSubdirectory("proctor-grants-").FullName;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gateway, resource) = await StartGatewayAsync(provider, folder, clock, extraSections);
        var bank = new GrantBank(provider, gateway, resource, folder, clock);
        await bank.WriteCliConfigAsync();
        return bank;
    }

    /// <summary>Stops this gateway (as SIGTERM does) and starts another on the same data folder and clock.</summary>
    public async Task RestartAsync()
    {
        await Gateway.DisposeAsync();
        (Gateway, Resource) = await StartGatewayAsync(Provider, Folder, Clock, "");
        await WriteCliConfigAsync();
    }

    private static Task<(GatewayUnderTest, string)> StartGatewayAsync(OidcProvider provider, string folder, FakeTimeProvider clock, string extraSections) =>
        IdentityGateway.StartGatewayTrustingAsync(provider,
            upstreams: $$"""
              bank:
                command: "dotnet"
                args: ["{{Peers.ProctorDll}}", "sample", "bank-server", "--seed", "42"]
            """,
            identitySetting: "roles: { approver: [\"approvers\"], auditor: [\"auditors\"], breakglass: [\"analysts\"] }",
            sections: $"storage: {{ path: \"{Path.Combine(folder, "proctor.db")}\" }}\n{extraSections}{Policy}\n",
            time: clock);

    private Task WriteCliConfigAsync() => File.WriteAllTextAsync(CliConfig, $"""
        storage: {"{"} path: "proctor.db" {"}"}
        identity:
          resource: "{Resource}"
          issuers: ["{Provider.IssuerIdentifier}"]
          roles: {"{"} approver: ["approvers"], breakglass: ["analysts"] {"}"}
        upstreams:
          bank: {"{"} command: "unused" {"}"}
        {Policy}
        """);

    /// <summary>A C# SDK session as <paramref name="identity"/> that counts the <c>tools/list_changed</c> notifications it receives.</summary>
    public async Task<(McpClient Client, ConcurrentQueue<DateTimeOffset> ListChanges)> ConnectAsync(string identity)
    {
        var changes = new ConcurrentQueue<DateTimeOffset>();
        var client = await Clients.ConnectAsync(Gateway.Mcp(), "2025-11-25", options =>
            options.Handlers.NotificationHandlers =
            [
                new(NotificationMethods.ToolListChangedNotification, (_, _) =>
                {
                    changes.Enqueue(DateTimeOffset.UtcNow);
                    return ValueTask.CompletedTask;
                }),
            ], bearer: await TokenAsync(identity));
        return (client, changes);
    }

    public Task<string> TokenAsync(string identity) => Provider.TokenAsync(identity, Resource);

    public static async Task<bool> ListsSqlAsync(McpClient client) => (await client.ListToolsAsync()).Any(t => t.Name == Sql);

    public static Task<CallToolResult> QueryAsync(McpClient client) =>
        client.CallToolAsync(Sql, new Dictionary<string, object?> { ["query"] = "SELECT COUNT(*) AS n FROM accounts" }).AsTask();

    /// <summary>
    /// Moves the gateway's clock one refresh interval at a time until <paramref name="condition"/> holds: the grant refresh
    /// runs on the gateway's clock, so it reads the database (and tells sessions) only when the clock moves.
    /// </summary>
    public async Task TickUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition never held while the gateway's clock moved");
            Clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(100);
        }
    }

    public async Task<AccessGrant> GrantAsync(string id) => (await Store.FindAsync(id, default))!;

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> as <paramref name="identity"/>; returns the status and body.</summary>
    public async Task<(int Status, JsonNode Body)> PostAsync(string path, string identity, JsonObject? body = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Gateway.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(identity));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        }

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
}
