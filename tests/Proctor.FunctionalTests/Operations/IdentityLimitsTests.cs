using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Identity;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Operations;

/// <summary>
/// Fairness with real identities (tokens from the OpenID provider): alice exhausting each of her limits gets a 429
/// naming the limit, with Retry-After, while bob is served as if she were not there; her share comes back when her
/// sessions or calls end. Every refusal is counted on /metrics by the limit's key, never by who was refused.
/// </summary>
public sealed class IdentityLimitsTests : IAsyncLifetime
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
    private const string Ping = """{"jsonrpc":"2.0","id":9,"method":"ping"}""";
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly string _probe = Path.Combine(Path.GetTempPath(), $"proctor-limits-{Guid.NewGuid():N}.txt");
    private OidcProvider _provider = null!;
    private GatewayUnderTest _gateway = null!;
    private Dictionary<string, string> _alice = null!;
    private Dictionary<string, string> _bob = null!;

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        await File.WriteAllTextAsync(_probe, "");
        _provider = await OidcProvider.StartAsync();
        var port = Ports.Free();
        var resource = $"http://127.0.0.1:{port}/mcp";
        _gateway = await GatewayUnderTest.StartAsync($$"""
              probe:
                command: "node"
                args: ["{{Path.Combine(Peers.RepositoryRoot, "tests", "node", "cancel-probe-server.mjs")}}"]
                env: { PROBE_FILE: "{{_probe}}" }
            """,
            $$"""
            identity:
              resource: "{{resource}}"
              issuers: ["{{_provider.IssuerIdentifier}}"]
            """,
            port: port,
            gatewayKeys: """
                maxSessionsPerIdentity: 3
                maxConcurrentCallsPerIdentity: 1
                maxCallsPerSecondPerIdentity: 20
                """);
        _alice = Bearer(await _provider.TokenAsync("analyst", resource));
        _bob = Bearer(await _provider.TokenAsync("supervisor", resource));
    }

    [Fact]
    public async Task Initialize_AliceAtHerSessionLimit_Is429WithRetryAfterWhileBobOpensAndHerDeleteFreesOne()
    {
        var endpoint = _gateway.Mcp("probe");
        var sessions = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            sessions.Add(await OpenAsync(endpoint, _alice));
        }

        var (status, retryAfter, error) = await PostAsync(endpoint, Initialize, _alice);
        var bobs = await OpenAsync(endpoint, _bob);
        await DeleteAsync(endpoint, _alice, sessions[0]);
        var again = await OpenAsync(endpoint, _alice);

        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.InRange(retryAfter!.Value, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(30));
        Assert.Equal("limits.sessions_per_identity", (string?)error?["data"]?["reason"]);
        Assert.Equal("gateway.maxSessionsPerIdentity", (string?)error?["data"]?["limit"]);
        Assert.Contains("already holds 3 open sessions at this gateway (gateway.maxSessionsPerIdentity). End sessions you no longer use (DELETE", (string?)error?["message"], StringComparison.Ordinal);
        Assert.NotEmpty(bobs);
        Assert.NotEmpty(again);
        Assert.Matches("proctor_limit_refusals_total\\{[^}]*limit=\"maxSessionsPerIdentity\"[^}]*\\} 1", await MetricsAsync());
    }

    [Fact]
    public async Task Call_AliceWithACallInFlightAtHerLimit_Is429WhileBobIsServedAndSheIsAdmittedOnceItEnds()
    {
        var endpoint = _gateway.Mcp("probe");
        var alice = WithSession(_alice, await OpenAsync(endpoint, _alice));
        var bob = WithSession(_bob, await OpenAsync(endpoint, _bob));
        // The probe (a node process) may still be starting on a busy machine; a call then would fail at once, not stay in flight.
        await Eventually.TrueAsync(async () => (await PostAsync(endpoint, """{"jsonrpc":"2.0","id":3,"method":"tools/list"}""", bob)) is (HttpStatusCode.OK, _, null), TimeSpan.FromSeconds(30));
        var slow = PostAsync(endpoint, """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"wait_for_cancel","arguments":{}}}""", alice);
        await Eventually.TrueAsync(async () => !slow.IsCompleted && (await PostAsync(endpoint, Ping, alice)).Status == HttpStatusCode.TooManyRequests, TimeSpan.FromSeconds(10));

        var (refused, retryAfter, error) = await PostAsync(endpoint, Ping, alice);
        var (bobsStatus, _, _) = await PostAsync(endpoint, Ping, bob);
        await PostAsync(endpoint, """{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}}""", alice);
        await slow.WaitAsync(TimeSpan.FromSeconds(10));
        var (afterwards, _, _) = await PostAsync(endpoint, Ping, alice);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused);
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);
        Assert.Equal("limits.concurrent_calls", (string?)error?["data"]?["reason"]);
        Assert.Equal(9, (int?)error?.Parent?["id"]);
        Assert.Contains("already has 1 calls running at this gateway (gateway.maxConcurrentCallsPerIdentity)", (string?)error?["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bobsStatus);
        Assert.Equal(HttpStatusCode.OK, afterwards);
    }

    [Fact]
    public async Task Call_AliceOverHerRate_Is429WithRetryAfterWhileBobIsServed()
    {
        var endpoint = _gateway.Mcp("probe");
        var alice = WithSession(_alice, await OpenAsync(endpoint, _alice));
        var bob = WithSession(_bob, await OpenAsync(endpoint, _bob));

        var statuses = new List<HttpStatusCode>();
        (HttpStatusCode Status, TimeSpan? RetryAfter, JsonObject? Error) refused = default;
        for (var i = 0; i < 40 && refused.Status != HttpStatusCode.TooManyRequests; i++)
        {
            refused = await PostAsync(endpoint, Ping, alice);
            statuses.Add(refused.Status);
        }

        var (bobsStatus, _, _) = await PostAsync(endpoint, Ping, bob);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.True(statuses.Count >= 19, $"refused after {statuses.Count} calls; the bucket holds 20, less what initialize took");
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter);
        Assert.Equal("limits.call_rate", (string?)refused.Error?["data"]?["reason"]);
        Assert.Contains("(gateway.maxCallsPerSecondPerIdentity)", (string?)refused.Error?["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bobsStatus);
        Assert.DoesNotContain("alice", await MetricsAsync(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = $"Bearer {token}" };

    private static Dictionary<string, string> WithSession(Dictionary<string, string> headers, string session) => new(headers) { ["Mcp-Session-Id"] = session };

    private static async Task<string> OpenAsync(Uri endpoint, Dictionary<string, string> headers)
    {
        var (response, _) = await RawMcp.PostAsync(endpoint, Initialize, headers);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response.Headers.GetValues("Mcp-Session-Id").Single();
    }

    private static async Task DeleteAsync(Uri endpoint, Dictionary<string, string> headers, string session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, endpoint);
        foreach (var (name, value) in WithSession(headers, session))
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, TimeSpan? RetryAfter, JsonObject? Error)> PostAsync(Uri endpoint, string json, Dictionary<string, string> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.StartsWith('{') ? JsonNode.Parse(text) as JsonObject : null;
        return (response.StatusCode, response.Headers.RetryAfter?.Delta, body?["error"] as JsonObject);
    }

    private async Task<string> MetricsAsync() => await Http.GetStringAsync(new Uri(_gateway.BaseAddress, "/metrics"));

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
        File.Delete(_probe);
    }
}
