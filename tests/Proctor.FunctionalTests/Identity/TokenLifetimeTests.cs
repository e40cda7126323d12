using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>Tokens over time: expiry, and the identity provider rotating its keys while the gateway runs.</summary>
public sealed class TokenLifetimeTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    /// <summary>The gateway fetches keys again for an unknown kid at most this often (IssuerKeys.KeyRefreshFloor).</summary>
    private static readonly TimeSpan KeyRefreshFloor = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ExpiredToken_IsRefusedWithItsExpiry()
    {
        await using var provider = await OidcProvider.StartAsync(tokenTtl: TimeSpan.FromSeconds(2));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gateway, resource) = await StartGatewayAsync(provider, clock);
        await using var running = gateway;
        var token = await provider.TokenAsync("analyst", resource);
        clock.SetUtcNow(DateTimeOffset.UtcNow); // the provider issued it on the real clock
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(gateway, token)).Status);

        clock.Advance(TimeSpan.FromSeconds(4)); // 2 s lifetime + 1 s configured skew, and a margin

        var (status, message) = await PostAsync(gateway, token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("expired", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysRotated_WhileGatewayRuns_OldTokensRefusedAndNewOnesAcceptedAfterRefresh()
    {
        await using var provider = await OidcProvider.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var (gateway, resource) = await StartGatewayAsync(provider, clock);
        await using var running = gateway;
        var before = await provider.TokenAsync("analyst", resource);
        clock.SetUtcNow(DateTimeOffset.UtcNow);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(gateway, before)).Status);

        await provider.RotateKeysAsync();
        var after = await provider.TokenAsync("analyst", resource);

        // Within the floor the keys in hand are kept, however many unknown kids arrive; once it passes, an unknown
        // kid has them fetched again, in the background.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(gateway, after)).Status);
        clock.Advance(KeyRefreshFloor);
        var waited = Stopwatch.StartNew();
        var status = HttpStatusCode.Unauthorized;
        while (status != HttpStatusCode.OK && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            (status, _) = await PostAsync(gateway, after);
            await Task.Delay(50);
        }

        Assert.Equal(HttpStatusCode.OK, status);
        var (oldStatus, oldMessage) = await PostAsync(gateway, before);
        Assert.Equal(HttpStatusCode.Unauthorized, oldStatus);
        Assert.Contains("key id", oldMessage, StringComparison.Ordinal);
    }

    private static Task<(GatewayUnderTest Gateway, string Resource)> StartGatewayAsync(OidcProvider provider, TimeProvider clock)
    {
        Peers.RequireInstalled();
        return IdentityGateway.StartGatewayTrustingAsync(provider, time: clock);
    }

    private static async Task<(HttpStatusCode Status, string Message)> PostAsync(GatewayUnderTest gateway, string token)
    {
        var (response, body) = await RawMcp.PostAsync(gateway.Mcp("everything"), Initialize, new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" });
        return (response.StatusCode, (string?)body?["error"]?["message"] ?? "");
    }
}
