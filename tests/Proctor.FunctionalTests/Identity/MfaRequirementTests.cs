using System.Net;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// An upstream that requires MFA and a recent sign-in (IA-2(1)): real tokens from the OpenID provider
/// for a caller with MFA, one without, and one who signed in a day ago.
/// </summary>
public sealed class MfaRequirementTests : IAsyncLifetime
{
    private OidcProvider _provider = null!;
    private GatewayUnderTest _gateway = null!;
    private string _resource = "";

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        _provider = await OidcProvider.StartAsync();
        (_gateway, _resource) = await IdentityGateway.StartGatewayTrustingAsync(_provider,
            $$"""
              privileged:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
                requireMfa: true
                maxAuthAge: "1h"
            """,
            identitySetting: "");
    }

    [Theory]
    [InlineData("analyst", null)]
    [InlineData("nomfa", "requires multi-factor authentication; your token's authentication methods (amr) are: pwd")]
    [InlineData("stale", "requires a sign-in within 01:00:00; yours was 1.00:")]
    public async Task CallToPrivilegedUpstream_DependsOnHowTheCallerSignedIn(string client, string? refusal)
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = $"Bearer {await _provider.TokenAsync(client, _resource)}" };
        var endpoint = _gateway.Mcp("privileged");
        headers["Mcp-Session-Id"] = await RawMcp.InitializeAsync(endpoint, headers);

        var (response, body) = await RawMcp.PostAsync(endpoint, """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"echo","arguments":{"message":"hi"}}}""", headers);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (refusal is null)
        {
            Assert.Contains("hi", body!["result"]!.ToJsonString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(-32063, (int)body!["error"]!["code"]!);
            Assert.Contains(refusal, (string)body["error"]!["message"]!, StringComparison.Ordinal);
        }
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
    }
}
