using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// <c>upstreams.X.oauth</c> against the real OpenID provider: the gateway gets its own client-credentials
/// token and sends it to an upstream that echoes the headers it receives; the caller's token never
/// reaches the upstream. A wrong client secret makes the upstream unavailable with the reason in
/// <c>/readyz</c>, and the secret appears nowhere.
/// </summary>
public sealed class UpstreamOAuthTests : IAsyncLifetime
{
    private const string GatewayClient = "proctor-gateway";
    private const string WrongSecret = "wrong-secret-canary-4c19";

    private OidcProvider _provider = null!;
    private ChildProcess _echo = null!;
    private int _echoPort;

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        _provider = await OidcProvider.StartAsync(clients: [.. OidcProvider.DefaultClients, new OidcClient(GatewayClient, GatewayClient, [], [], null, null)]);
        _echoPort = Ports.Free();
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "header-echo-server.mjs");
        _echo = ChildProcess.Start(Peers.Node, [script], new Dictionary<string, string> { ["PORT"] = _echoPort.ToString() }, Path.GetDirectoryName(script));
        await Ports.WaitForListeningAsync(_echoPort, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Call_UpstreamReceivesTheGatewaysOwnToken_NeverTheCallers()
    {
        var log = new CapturedLog();
        var (gateway, resource) = await StartGatewayAsync($"{GatewayClient}-secret", log);
        await using var _ = gateway;
        var callerToken = await _provider.TokenAsync("analyst", resource);

        var first = await EchoAsync(gateway, callerToken);
        var second = await EchoAsync(gateway, callerToken);
        var received = await HeaderEcho.ReceivedAsync(_echo, atLeast: 2);

        var authorization = (string)received[0]["authorization"]!;
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        var (_, claims) = OidcProvider.Decode(authorization["Bearer ".Length..]);
        Assert.Equal(GatewayClient, (string?)claims["client_id"]);
        Assert.Equal($"http://127.0.0.1:{_echoPort}/mcp", (string?)claims["aud"]);
        Assert.Equal("mcp:echo", (string?)claims["scope"]);
        Assert.Equal(authorization, (string)received[1]["authorization"]!); // cached, not fetched per call
        Assert.DoesNotContain(callerToken, received[0].ToJsonString() + received[1].ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(authorization["Bearer ".Length..], first.ToJsonString() + second.ToJsonString(), StringComparison.Ordinal); // echoed back, the gateway masks it
        Assert.DoesNotContain(log.Lines, line => line.Contains(callerToken, StringComparison.Ordinal) || line.Contains(authorization["Bearer ".Length..], StringComparison.Ordinal) || line.Contains($"{GatewayClient}-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongClientSecret_UpstreamUnavailableWithTheReasonInReadyz_SecretNowhere()
    {
        var log = new CapturedLog();
        var (gateway, resource) = await StartGatewayAsync(WrongSecret, log);
        await using var _ = gateway;
        using var http = new HttpClient();

        string readyz = "";
        var auditor = await _provider.TokenAsync("auditor", resource); // reasons are shown to auditors only (decision 0016)
        await Eventually.TrueAsync(() => (readyz = ReadyzAsync(http, gateway, auditor).GetAwaiter().GetResult()).Contains("invalid_client", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
        var reason = (string)JsonNode.Parse(readyz)!["upstreams"]!["echo"]!["reason"]!;
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await _provider.TokenAsync("analyst", resource)}" };
        var (_, refused) = await RawMcp.PostAsync(gateway.Mcp("echo"), """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", headers);

        Assert.Contains($"the gateway has no access token for it: the token endpoint http://127.0.0.1:{_provider.Port}/token refused the client credentials grant (401 invalid_client); check upstreams.echo.oauth.clientId and clientSecret.", reason, StringComparison.Ordinal);
        Assert.Contains("invalid_client", refused!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(WrongSecret, readyz + refused.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(log.Lines, line => line.Contains(WrongSecret, StringComparison.Ordinal));
    }

    private async Task<(GatewayUnderTest Gateway, string Resource)> StartGatewayAsync(string clientSecret, CapturedLog log)
    {
        var tokenUrl = (string)(await _provider.DiscoveryAsync())["token_endpoint"]!;
        var port = Ports.Free();
        var resource = $"http://127.0.0.1:{port}/mcp";
        var gateway = await GatewayUnderTest.StartAsync(
            $$"""
              echo:
                url: "http://127.0.0.1:{{_echoPort}}/mcp"
                oauth:
                  tokenUrl: "{{tokenUrl}}"
                  clientId: "{{GatewayClient}}"
                  clientSecret: "${env:ECHO_CLIENT_SECRET}"
                  scope: "mcp:echo"
                  resource: "http://127.0.0.1:{{_echoPort}}/mcp"
                  clientAuthentication: post
            """,
            $$"""
            identity:
              resource: "{{resource}}"
              issuers: ["{{_provider.IssuerIdentifier}}"]
              roles:
                auditor: ["auditors"]
            """,
            environment: new Dictionary<string, string> { ["ECHO_CLIENT_SECRET"] = clientSecret },
            log: log,
            logLevel: "Trace",
            port: port);
        return (gateway, resource);
    }

    /// <summary>The body whatever the status: 503 is expected while the only upstream is down.</summary>
    private static async Task<string> ReadyzAsync(HttpClient http, GatewayUnderTest gateway, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseAddress, "/readyz"));
        request.Headers.Authorization = new("Bearer", bearer);
        using var response = await http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<JsonObject> EchoAsync(GatewayUnderTest gateway, string callerToken)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = gateway.Mcp("echo"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {callerToken}" },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
        return JsonNode.Parse(Clients.Text(await client.CallToolAsync("echo_request", new Dictionary<string, object?>())))!.AsObject();
    }

    public async Task DisposeAsync()
    {
        await _echo.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
