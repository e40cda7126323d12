using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// Agent keys end to end: created, listed and revoked with the real <c>proctor keys</c> binary against the
/// configuration's database, and presented to a running gateway (with a real OpenID provider configured)
/// by a real MCP client.
/// </summary>
public sealed class AgentKeyTests : IAsyncLifetime
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-agent-keys-");
    private OidcProvider _provider = null!;
    private GatewayUnderTest _gateway = null!;

    /// <summary>The gateway's clock: the revocation bound passes without waiting for it.</summary>
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);

    private string ConfigPath => Path.Combine(_folder.FullName, "proctor.yaml");

    private string DatabasePath => Path.Combine(_folder.FullName, "proctor-data", "proctor.db");

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        _provider = await OidcProvider.StartAsync();
        var port = Ports.Free();
        var identity = $$"""
            identity:
              resource: "http://127.0.0.1:{{port}}/mcp"
              issuers: ["{{_provider.IssuerIdentifier}}"]
            """;

        // The operator's file: storage.path defaults to proctor-data/proctor.db beside it.
        await File.WriteAllTextAsync(ConfigPath, identity + "\n");
        _gateway = await GatewayUnderTest.StartAsync(
            $$"""
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """,
            identity + $"\nstorage:\n  path: \"{DatabasePath}\"",
            port: port,
            time: _clock);
    }

    [Fact]
    public async Task CreatedKey_CallsAToolThroughTheGateway_AndIsNeverListedOrStored()
    {
        var (exit, output) = await ProctorAsync("keys", "create", "--name", "nightly-recon", "--groups", "analysts,batch", "--expires", "30d", "--json");
        Assert.Equal(0, exit);
        var created = JsonDocument.Parse(output).RootElement;
        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith("prk_", key, StringComparison.Ordinal);
        Assert.Equal("agent:nightly-recon", created.GetProperty("subject").GetString());

        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = _gateway.Mcp("everything"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" },
        });
        await using (var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" }))
        {
            var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "from-agent" });
            Assert.Contains("from-agent", Clients.Text(result), StringComparison.Ordinal);
        }

        var (listExit, list) = await ProctorAsync("keys", "list");
        var (jsonExit, listJson) = await ProctorAsync("keys", "list", "--json");
        Assert.Equal((0, 0), (listExit, jsonExit));
        Assert.Contains("nightly-recon", list, StringComparison.Ordinal);
        Assert.Equal("active", JsonDocument.Parse(listJson).RootElement[0].GetProperty("status").GetString());
        Assert.DoesNotContain(key["prk_".Length..], list + listJson, StringComparison.Ordinal);

        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(DatabasePath)!))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(key["prk_".Length..])));
        }
        Assert.DoesNotContain(key["prk_".Length..], Evidence.StoredEvents.DecodedLogs(Path.GetDirectoryName(DatabasePath)!), StringComparison.Ordinal); // the ledger's log is compressed
    }

    [Fact]
    public async Task RevokedKey_RefusedWith401WithinTheCacheBound()
    {
        var (_, output) = await ProctorAsync("keys", "create", "--name", "to-revoke", "--expires", "1d", "--json");
        var key = JsonDocument.Parse(output).RootElement.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await InitializeWithAsync(key)).StatusCode);

        var (exit, revoked) = await ProctorAsync("keys", "revoke", "to-revoke");
        Assert.Equal(0, exit);
        Assert.Contains("Revoked agent key", revoked, StringComparison.Ordinal);

        _clock.Advance(AgentKeyAuthenticator.CacheLifetime);
        var last = await InitializeWithAsync(key);
        Assert.Equal(HttpStatusCode.Unauthorized, last.StatusCode);
        var challenge = last.Headers.WwwAuthenticate.ToString();
        Assert.Contains("error=\"invalid_token\"", challenge, StringComparison.Ordinal);
        Assert.Contains("The agent key 'to-revoke' was revoked at", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredKey_RefusedWith401()
    {
        var key = AgentKeyFormat.NewKey();
        var now = DateTimeOffset.UtcNow;
        await new SqliteAgentKeyStore(DatabasePath).AddAsync(new AgentKey(AgentKeyFormat.NewId(), "old-agent", ["analysts"], now.AddDays(-31), now.AddDays(-1), null), AgentKeyFormat.Hash(key), CancellationToken.None);

        var response = await InitializeWithAsync(key);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("The agent key 'old-agent' expired at", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownKey_RefusedWith401_AndCreateRefusesBadInputWithExit2()
    {
        var response = await InitializeWithAsync(AgentKeyFormat.NewKey());
        var (noExpiry, _) = await ProctorAsync("keys", "create", "--name", "x", "--expires", "400d");
        var (badName, _) = await ProctorAsync("keys", "create", "--name", "Bad Name", "--expires", "1d");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("not known to this gateway", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal((2, 2), (noExpiry, badName));
    }

    private async Task<HttpResponseMessage> InitializeWithAsync(string key) =>
        (await RawMcp.PostAsync(_gateway.Mcp("everything"), Initialize, new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" })).Response;

    private async Task<(int Exit, string Output)> ProctorAsync(params string[] args)
    {
        await using var process = ChildProcess.Start("dotnet", [Peers.ProctorDll, .. args, "--config", ConfigPath], new Dictionary<string, string> { ["COLUMNS"] = "200" });
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (exit, process.Output);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
    }
}
