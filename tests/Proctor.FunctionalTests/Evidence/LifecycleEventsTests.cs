using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// What the ledger holds besides calls that pass: each stdio upstream process's spawn and exit (with its
/// reason, and no secret from its environment), and calls the gateway refused before recording them.
/// </summary>
public sealed class LifecycleEventsTests : IAsyncLifetime
{
    private const string Secret = "canary-upstream-secret-7f3a";

    private string _folder = "";
    private string _database = "";

    public Task InitializeAsync()
    {
        _folder = Directory.CreateTempSubdirectory("proctor-lifecycle-").FullName;
        _database = Path.Combine(_folder, "proctor.db");
        return Task.CompletedTask;
    }

    [Fact]
    public async Task StdioUpstream_SpawnedKilledRespawnedStopped_EachRecordedWithPidAndReason_SecretNeverStored()
    {
        await using (var gateway = await GatewayUnderTest.StartAsync(
            $$"""
              bank:
                command: dotnet
                args: ["{{Peers.ProctorDll}}", "sample", "bank-server"]
                env: { BANK_TOKEN: "${env:BANK_TOKEN}" }
                shutdownGrace: "60s"
            """,
            $"storage:\n  path: \"{_database}\"",
            environment: new Dictionary<string, string> { ["BANK_TOKEN"] = Secret }))
        {
            // shutdownGrace: a loaded machine can take more than the default 5 s to end a .NET child whose stdin closed,
            // and this test is about the reason recorded for a clean stop, not about the grace.
            var first = Assert.Single(await EventsAsync("upstream.spawn"));
            var pid = (int)first["details"]!["pid"]!;
            Assert.Equal("bank", (string)first["location"]!["server"]!);
            Assert.Equal("stdio", (string)first["location"]!["transport"]!);
            Assert.Equal("dotnet", (string)first["details"]!["command"]!);
            Assert.Equal([Peers.ProctorDll, "sample", "bank-server"], first["details"]!["args"]!.AsArray().Select(a => (string)a!));
            Assert.Equal(["BANK_TOKEN"], first["details"]!["env"]!.AsArray().Select(a => (string)a!));

            using (var upstream = System.Diagnostics.Process.GetProcessById(pid))
            {
                upstream.Kill(); // SIGKILL, behind the gateway's back
            }

            await WaitForAsync(async () => (await EventsAsync("upstream.spawn")).Count == 2, "the gateway respawned the upstream");
            var died = Assert.Single(await EventsAsync("upstream.exit"));
            Assert.Equal(pid, (int)died["details"]!["pid"]!);
            Assert.Equal("exited", (string)died["details"]!["reason"]!);
            Assert.Equal(137, (int)died["details"]!["exit_code"]!); // 128 + SIGKILL
        }

        var exits = await EventsAsync("upstream.exit");
        Assert.Equal(2, exits.Count);
        Assert.Equal("stopped", (string)exits[1]["details"]!["reason"]!); // the gateway's shutdown closed its stdin
        Assert.Equal((int)(await EventsAsync("upstream.spawn"))[1]["details"]!["pid"]!, (int)exits[1]["details"]!["pid"]!);
        Assert.DoesNotContain(Secret, await AllBodiesAsync(), StringComparison.Ordinal);
        var (verified, output) = await ProctorCli.RunAsync("audit", "verify", "--config", await ConfigAsync());
        Assert.True(verified == 0, output);
    }

    [Fact]
    public async Task CallRefusedForMissingMfa_RecordedWithCallerServerToolAndReason_NoArguments()
    {
        await using var provider = await OidcProvider.StartAsync();
        var (gateway, resource) = await StartTrustingAsync(provider,
            $$"""
              privileged:
                command: dotnet
                args: ["{{Peers.ProctorDll}}", "sample", "bank-server"]
                requireMfa: true
            """);
        await using var stopped = gateway;
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await provider.TokenAsync("nomfa", resource)}" };
        var endpoint = gateway.Mcp("privileged");
        headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(endpoint, headers);

        var (response, body) = await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_customer","arguments":{"customer_id":"refused-canary"}}}""", headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("identity.mfa_required", (string)body!["error"]!["data"]!["reason"]!);
        var refused = Assert.Single(await EventsAsync("call.refused"));
        Assert.Equal("dave", (string)refused["actor"]!["subject"]!);
        Assert.Equal(["pwd"], refused["actor"]!["amr"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("privileged", (string)refused["location"]!["server"]!);
        Assert.Equal("tools/call", (string)refused["action"]!["method"]!);
        Assert.Equal("get_customer", (string)refused["action"]!["name"]!);
        Assert.Null(refused["action"]!["arguments"]);
        Assert.Equal("refused", (string)refused["outcome"]!["status"]!);
        Assert.Equal("deny", (string)refused["decision"]!["effect"]!);
        Assert.Equal("identity.mfa_required", (string)refused["decision"]!["reason_code"]!);
        Assert.Empty(await EventsAsync("call.request"));
        Assert.DoesNotContain("refused-canary", await AllBodiesAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CallerWithoutRequiredScope_RefusedByTransportAndByStage_BothRecordedWithTheReason()
    {
        await using var provider = await OidcProvider.StartAsync();
        var (gateway, resource) = await StartTrustingAsync(provider,
            $$"""
              bank:
                command: dotnet
                args: ["{{Peers.ProctorDll}}", "sample", "bank-server"]
                requiredScopes: ["mcp:bank.read"]
            """,
            """scopesSupported: ["mcp:bank.read"]""");
        await using var stopped = gateway;
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await provider.TokenAsync("analyst", resource)}" };

        var (direct, _) = await RawMcp.PostAsync(gateway.Mcp("bank"), """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", headers);
        headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(gateway.Mcp(), headers);
        var (_, aggregate) = await RawMcp.PostAsync(gateway.Mcp(), """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"bank__get_customer","arguments":{"customer_id":"C-1"}}}""", headers);

        Assert.Equal(HttpStatusCode.Forbidden, direct.StatusCode);
        Assert.Equal("identity.insufficient_scope", (string)aggregate!["error"]!["data"]!["reason"]!);
        var refused = await EventsAsync("call.refused");
        Assert.Equal(2, refused.Count);
        Assert.All(refused, e => Assert.Equal("alice", (string)e["actor"]!["subject"]!));
        Assert.All(refused, e => Assert.Equal("bank", (string)e["location"]!["server"]!));
        Assert.All(refused, e => Assert.Equal("identity.insufficient_scope", (string)e["decision"]!["reason_code"]!));
        Assert.Equal(403, (int)refused[0]["outcome"]!["error_code"]!); // the transport's refusal: no call exists yet
        Assert.Null(refused[0]["action"]);
        Assert.Equal("get_customer", (string)refused[1]["action"]!["name"]!); // the stage's refusal on the aggregate endpoint
    }

    /// <summary>A gateway trusting <paramref name="provider"/> that keeps its ledger in this test's database.</summary>
    private Task<(GatewayUnderTest Gateway, string Resource)> StartTrustingAsync(OidcProvider provider, string upstreams, string identitySetting = "") =>
        Identity.IdentityGateway.StartGatewayTrustingAsync(provider, upstreams, identitySetting, $"storage:\n  path: \"{_database}\"\n");

    private async Task<string> ConfigAsync()
    {
        var path = Path.Combine(_folder, "proctor.yaml");
        await File.WriteAllTextAsync(path, $"storage:\n  path: \"{_database}\"\n");
        return path;
    }

    private Task<List<JsonNode>> EventsAsync(string kind) => StoredEvents.OfKindAsync(_database, kind);

    private async Task<string> AllBodiesAsync() => string.Join('\n', (await StoredEvents.ReadAsync(_database)).Select(e => e.Text));

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        for (var i = 0; i < 150 && !await condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(await condition(), $"not within 15 s: {what}");
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
