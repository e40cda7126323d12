using System.Diagnostics;
using System.Net;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>Tokens over time: expiry, and the identity provider rotating its keys while the gateway runs.</summary>
public sealed class TokenLifetimeTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    [Fact]
    public async Task ExpiredToken_IsRefusedWithItsExpiry()
    {
        await using var provider = await OidcProvider.StartAsync(tokenTtl: TimeSpan.FromSeconds(2));
        var (gateway, resource) = await StartGatewayAsync(provider);
        await using var running = gateway;
        var token = await provider.TokenAsync("analyst", resource);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(gateway, token)).Status);

        await Task.Delay(TimeSpan.FromSeconds(4)); // 2 s lifetime + 1 s configured skew, and a margin

        var (status, message) = await PostAsync(gateway, token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("expired", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRotated_WhileGatewayRuns_OldTokensRefusedAndNewOnesAcceptedAfterRefresh()
    {
        await using var provider = await OidcProvider.StartAsync();
        var (gateway, resource) = await StartGatewayAsync(provider);
        await using var running = gateway;
        var before = await provider.TokenAsync("analyst", resource);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(gateway, before)).Status);

        await provider.RotateKeysAsync();
        var after = await provider.TokenAsync("analyst", resource);

        // Unknown key ids make the gateway refetch the keys, at most every 30 s (JwtAuthenticator.KeyRefreshFloor).
        var waited = Stopwatch.StartNew();
        var status = HttpStatusCode.Unauthorized;
        while (status != HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(45))
        {
            (status, _) = await PostAsync(gateway, after);
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        var (oldStatus, oldMessage) = await PostAsync(gateway, before);
        Assert.Equal(HttpStatusCode.Unauthorized, oldStatus);
        Assert.Contains("key id", oldMessage, StringComparison.Ordinal);
    }

    private static Task<(GatewayUnderTest Gateway, string Resource)> StartGatewayAsync(OidcProvider provider)
    {
        Peers.RequireInstalled();
        return IdentityGateway.StartGatewayTrustingAsync(provider);
    }

    private static async Task<(HttpStatusCode Status, string Message)> PostAsync(GatewayUnderTest gateway, string token)
    {
        var (response, body) = await RawMcp.PostAsync(gateway.Mcp("everything"), Initialize, new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });
        return (response.StatusCode, (string?)body?["error"]?["message"] ?? "");
    }
}
