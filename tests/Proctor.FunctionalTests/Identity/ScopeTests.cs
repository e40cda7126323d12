using System.Net;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// Per-upstream required scopes with real tokens: 403 <c>insufficient_scope</c> on the upstream's own
/// endpoint, a JSON-RPC refusal on the aggregate endpoint, <c>scope</c> in the challenge and
/// <c>scopes_supported</c> in the RFC 9728 metadata.
/// </summary>
public sealed class ScopeTests : IAsyncLifetime
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    private readonly CapturedLog _log = new();
    private OidcProvider _provider = null!;
    private GatewayUnderTest _gateway = null!;
    private string _resource = "";

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        _provider = await OidcProvider.StartAsync();
        (_gateway, _resource) = await IdentityGateway.StartGatewayTrustingAsync(_provider,
            $$"""
              bank:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
                requiredScopes: ["mcp:bank.read"]
              open:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """,
            identitySetting: """scopesSupported: ["mcp:bank.read", "mcp:bank.write"]""",
            log: _log,
            logLevel: "Information");
    }

    [Fact]
    public async Task TokenWithoutTheScope_Refused403InsufficientScope()
    {
        var token = await _provider.TokenAsync("analyst", _resource, scope: "mcp:bank.write");

        var (response, _) = await RawMcp.PostAsync(_gateway.Mcp("bank"), Initialize, Bearer(token));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith($"Bearer resource_metadata=\"http://127.0.0.1:{_gateway.BaseAddress.Port}/.well-known/oauth-protected-resource/mcp/bank\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"mcp:bank.read\"", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenWithTheScope_CallsTheTool()
    {
        var headers = Bearer(await _provider.TokenAsync("analyst", _resource, scope: "mcp:bank.read"));
        headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(_gateway.Mcp("bank"), headers);

        var (response, body) = await RawMcp.PostAsync(_gateway.Mcp("bank"), """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"message":"scoped"}}}""", headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("scoped", body!["result"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AggregateEndpoint_CallToScopedUpstreamWithoutTheScope_RefusedWithReasonCode()
    {
        var headers = Bearer(await _provider.TokenAsync("analyst", _resource));
        headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(_gateway.Mcp(), headers);

        var (_, refused) = await RawMcp.PostAsync(_gateway.Mcp(), """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"bank__echo","arguments":{"message":"x"}}}""", headers);
        var (_, allowed) = await RawMcp.PostAsync(_gateway.Mcp(), """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"open__echo","arguments":{"message":"open"}}}""", headers);

        Assert.Equal("identity.insufficient_scope", (string?)refused!["error"]!["data"]!["reason"]);
        Assert.Contains("open", allowed!["result"]!.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>A refusal for scope is a call outcome like any other: in the call metrics and the call log line, on both endpoints.</summary>
    [Fact]
    public async Task ScopeRefusals_BothEndpoints_InCallMetricsAndCallLogLines()
    {
        var headers = Bearer(await _provider.TokenAsync("analyst", _resource, scope: "mcp:bank.write"));
        var (forbidden, _) = await RawMcp.PostAsync(_gateway.Mcp("bank"), Initialize, headers);
        headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(_gateway.Mcp(), headers);
        await RawMcp.PostAsync(_gateway.Mcp(), """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"bank__echo","arguments":{"message":"x"}}}""", headers);

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        await MetricsScrape.WaitForAsync(_gateway, "proctor_calls_total\\{[^}]*method=\"unread\",outcome=\"identity.insufficient_scope\",upstream=\"bank\"\\} [1-9]");
        await MetricsScrape.WaitForAsync(_gateway, "proctor_calls_total\\{[^}]*method=\"tools/call\",outcome=\"identity.insufficient_scope\",upstream=\"bank\"\\} [1-9]");
        await MetricsScrape.WaitForAsync(_gateway, "proctor_auth_failures_total\\{[^}]*reason=\"insufficient_scope\"\\} [1-9]");
        Assert.Contains(_log.Lines, line => line.Contains("[1010] call alice bank unread  -> identity.insufficient_scope", StringComparison.Ordinal));
        Assert.Contains(_log.Lines, line => line.Contains("[1010] call alice bank tools/call echo -> identity.insufficient_scope", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoToken_ChallengeNamesTheScope_AndMetadataListsScopesSupported()
    {
        var (response, _) = await RawMcp.PostAsync(_gateway.Mcp("bank"), Initialize);
        using var http = new HttpClient();
        var metadata = JsonNode.Parse(await http.GetStringAsync(new Uri(_gateway.BaseAddress, "/.well-known/oauth-protected-resource/mcp")))!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("scope=\"mcp:bank.read\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(["mcp:bank.read", "mcp:bank.write"], metadata["scopes_supported"]!.AsArray().Select(s => (string)s!));
    }

    private static Dictionary<string, string> Bearer(string token) => new() { ["Authorization"] = $"Bearer {token}" };

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
