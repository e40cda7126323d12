using System.Net;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// The gateway's own identity at work: when a session that holds a subscription ends, the gateway unsubscribes
/// upstream on its own account (<c>proctor:gateway</c>, kind <c>gateway</c>, naming the session), and an upstream
/// that requires MFA and a scope receives it, so the subscription really ends there instead of leaking.
/// </summary>
public sealed class GatewayIdentityTests : IAsyncLifetime
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";
    private const string ListSubscriptions = """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"subscriptions","arguments":{}}}""";

    private OidcProvider _provider = null!;
    private GatewayUnderTest _gateway = null!;
    private string _resource = "";

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        _provider = await OidcProvider.StartAsync();
        (_gateway, _resource) = await IdentityGateway.StartGatewayTrustingAsync(_provider,
            $$"""
              vault:
                command: "node"
                args: ["{{Path.Combine(Peers.RepositoryRoot, "tests", "node", "subscription-probe-server.mjs")}}"]
                requireMfa: true
                requiredScopes: ["mcp:vault.read"]
            """,
            identitySetting: """scopesSupported: ["mcp:vault.read"]""");
    }

    [Fact]
    public async Task SessionClosed_SubscriptionOnAnMfaAndScopeUpstream_IsReleasedUpstreamUnderTheGatewaysIdentity()
    {
        var endpoint = _gateway.Mcp("vault");
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await _provider.TokenAsync("analyst", _resource, scope: "mcp:vault.read")}" };
        var session = await OpenSessionAsync(endpoint, headers);
        var (_, subscribed) = await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","id":2,"method":"resources/subscribe","params":{"uri":"probe://watched"}}""", WithSession(headers, session));
        Assert.NotNull(subscribed?["result"]);
        Assert.Equal(["probe://watched"], await UpstreamSubscriptionsAsync(endpoint, headers, session));

        using var delete = new HttpRequestMessage(HttpMethod.Delete, endpoint);
        foreach (var (name, value) in WithSession(headers, session))
        {
            delete.Headers.TryAddWithoutValidation(name, value);
        }

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(delete)).StatusCode);
        var observer = await OpenSessionAsync(endpoint, headers);
        await Eventually.TrueAsync(async () => (await UpstreamSubscriptionsAsync(endpoint, headers, observer)).Length == 0, TimeSpan.FromSeconds(10));

        // The session is released in the background after DELETE answers (SessionHousekeeping): the unsubscribe, then session.close.
        List<JsonObject> release = [];
        await Eventually.TrueAsync(async () => (release = await ReleaseEventsAsync(session)).Count >= 3, TimeSpan.FromSeconds(10));
        Assert.Equal(["call.request", "call.response", "session.close"], release.Select(e => (string)e["kind"]!));
        Assert.All(release.Take(2), e =>
        {
            Assert.Equal("proctor:gateway", (string?)e["actor"]?["subject"]);
            Assert.Equal("gateway", (string?)e["actor"]?["auth_method"]);
            Assert.Equal("resources/unsubscribe", (string?)e["action"]?["method"]);
            Assert.Equal("probe://watched", (string?)e["action"]?["name"]);
        });
        Assert.Equal("ok", (string?)release[1]["outcome"]?["status"]);
        Assert.Equal("deleted", (string?)release[2]["details"]?["reason"]);
    }

    private static Dictionary<string, string> WithSession(Dictionary<string, string> headers, string session) =>
        new(headers) { ["Mcp-Session-Id"] = session };

    private static async Task<string> OpenSessionAsync(Uri endpoint, Dictionary<string, string> headers)
    {
        var (response, _) = await RawMcp.PostAsync(endpoint, Initialize, headers);
        return response.Headers.GetValues("Mcp-Session-Id").Single();
    }

    private static async Task<string[]> UpstreamSubscriptionsAsync(Uri endpoint, Dictionary<string, string> headers, string session)
    {
        var (_, body) = await RawMcp.PostAsync(endpoint, ListSubscriptions, WithSession(headers, session));
        var text = (string)body!["result"]!["content"]![0]!["text"]!;
        return JsonNode.Parse(text)!.AsArray().Select(uri => (string)uri!).ToArray();
    }

    /// <summary>What the ledger holds after the session's calls: the gateway's release, then the close.</summary>
    private async Task<List<JsonObject>> ReleaseEventsAsync(string session) =>
        [.. (await LedgerEvents.ReadAsync(_gateway.DatabasePath)).Where(e =>
            (string?)e["location"]?["session_id"] == session &&
            ((string?)e["actor"]?["subject"] == "proctor:gateway" || (string?)e["kind"] == "session.close"))];

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
