using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Secrets;

/// <summary>
/// Canaries: a distinctive client token and distinctive upstream secrets go through whole sessions.
/// The upstream receives the gateway's secret, never the client's token; no log line holds either.
/// A gateway secret an upstream echoes back (server-everything's get-env) is masked as
/// <c>gateway_secret</c> before the client or the ledger sees it.
/// </summary>
public sealed class CredentialCanaryTests
{
    private const string ClientToken = "client-canary-7f3a9c1e";
    private const string HttpSecret = "upstream-http-canary-51b2d8";
    private const string StdioSecret = "upstream-stdio-canary-0e44a7";

    [Fact]
    public async Task Session_ClientTokenAndUpstreamSecrets_OnlyTheGatewaysSecretReachesTheUpstreamAndNothingIsLogged()
    {
        Peers.RequireInstalled();
        var port = Ports.Free();
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "header-echo-server.mjs");
        await using var upstream = ChildProcess.Start(Peers.Node, [script], new Dictionary<string, string> { ["PORT"] = port.ToString() }, Path.GetDirectoryName(script));
        await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(30));
        var log = new CapturedLog();
        var environment = new Dictionary<string, string> { ["CANARY_HTTP"] = HttpSecret, ["CANARY_STDIO"] = StdioSecret };
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              echo:
                url: "http://127.0.0.1:{{port}}/mcp"
                headers: { Authorization: "Bearer ${env:CANARY_HTTP}" }
              everything:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
                env: { CANARY_TOKEN: "${env:CANARY_STDIO}" }
            """, environment: environment, log: log, logLevel: "Trace");

        var headers = await CallAsync(gateway.Mcp("echo"), "echo_request");
        var childEnvironment = await CallAsync(gateway.Mcp("everything"), "get-env");

        var received = Assert.Single(await HeaderEcho.ReceivedAsync(upstream, atLeast: 1));
        Assert.Equal($"Bearer {HttpSecret}", (string?)received["authorization"]);
        Assert.DoesNotContain(ClientToken, received.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(HttpSecret, headers, StringComparison.Ordinal); // echoed back, the gateway masks it
        Assert.DoesNotContain(ClientToken, headers, StringComparison.Ordinal);
        Assert.Matches(@"CANARY_TOKEN\W+\[GATEWAY_SECRET\]", childEnvironment); // the child had the secret; the client sees it redacted
        Assert.DoesNotContain(StdioSecret, childEnvironment, StringComparison.Ordinal);
        Assert.DoesNotContain(ClientToken, childEnvironment, StringComparison.Ordinal);
        Assert.NotEmpty(log.Lines);
        foreach (var canary in new[] { ClientToken, HttpSecret, StdioSecret })
        {
            Assert.DoesNotContain(log.Lines, line => line.Contains(canary, StringComparison.Ordinal));
        }

        var stored = StoredText(gateway.DataFolder);
        Assert.Contains("echo_request", stored, StringComparison.Ordinal); // the calls were recorded
        Assert.DoesNotContain(ClientToken, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(HttpSecret, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(StdioSecret, stored, StringComparison.Ordinal);
    }

    /// <summary>Every stored byte as text, and the ledger log's entries decompressed (a search of the raw, compressed log would find nothing).</summary>
    /// The log's empty <c>lock</c> file is skipped: the gateway holds an exclusive flock on it during each batch, and
    /// opening it here (.NET takes a shared flock) failed whenever a commit was under way.
    private static string StoredText(string folder) => string.Concat(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(file => Path.GetFileName(file) != "lock").Select(file =>
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, System.Text.Encoding.Latin1);
        return reader.ReadToEnd();
    })) + Evidence.StoredEvents.DecodedLogs(folder);

    private static async Task<string> CallAsync(Uri endpoint, string tool)
    {
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = endpoint,
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {ClientToken}" },
        });
        await using var client = await McpClient.CreateAsync(transport, new McpClientOptions { ProtocolVersion = "2025-11-25" });
        return Clients.Text(await client.CallToolAsync(tool, new Dictionary<string, object?>()));
    }
}
