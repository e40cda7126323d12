using System.Net;
using Proctor.FunctionalTests.Identity;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Policy;

/// <summary>
/// Per-tool scopes with real tokens: a rule requiring a scope the token lacks answers 403 <c>insufficient_scope</c>
/// whose challenge names that tool's scope, not every scope the gateway knows; with the scope the call goes through.
/// </summary>
public sealed class PolicyScopeTests : IAsyncLifetime
{
    private const string Policy = """
        rules:
          - { id: read, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [echo] } }
          - { id: sums-need-write, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [get-sum] }, require: { scopes: ["mcp:bank.write"] } }
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-policy-scope-");
    private OidcProvider _provider = null!;
    private GatewayUnderTest _gateway = null!;
    private string _resource = "";

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        var path = Path.Combine(_folder.FullName, "policy.yaml");
        await File.WriteAllTextAsync(path, Policy);
        _provider = await OidcProvider.StartAsync();
        (_gateway, _resource) = await IdentityGateway.StartGatewayTrustingAsync(_provider,
            $$"""
              bank:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
            """,
            identitySetting: """scopesSupported: ["mcp:bank.read", "mcp:bank.write"]""",
            sections: $"policy: {{ file: \"{path}\" }}\n");
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private async Task<(HttpResponseMessage Response, System.Text.Json.Nodes.JsonObject? Body)> CallSumAsync(string scope)
    {
        var headers = RawMcp.Modern("tools/call", "get-sum");
        headers["Authorization"] = "Bearer " + await _provider.TokenAsync("analyst", _resource, scope: scope);
        return await RawMcp.PostAsync(_gateway.Mcp("bank"),
            """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"get-sum","arguments":{"a":1,"b":2},""" + RawMcp.ModernMeta + "}}", headers);
    }

    [Fact]
    public async Task ToolNeedingAScope_TokenWithoutIt_Refused403NamingOnlyThatToolsScope()
    {
        var (response, body) = await CallSumAsync("mcp:bank.read");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.Contains("scope=\"mcp:bank.write\"", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("mcp:bank.read", challenge, StringComparison.Ordinal);
        Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Equal(("policy.insufficient_scope", "sums-need-write"), ((string?)body!["error"]!["data"]!["reason"], (string?)body["error"]!["data"]!["rule"]));
    }

    [Fact]
    public async Task ToolNeedingAScope_TokenWithIt_IsCalled()
    {
        var (response, body) = await CallSumAsync("mcp:bank.read mcp:bank.write");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("3", body!["result"]!.ToJsonString(), StringComparison.Ordinal);
    }
}
