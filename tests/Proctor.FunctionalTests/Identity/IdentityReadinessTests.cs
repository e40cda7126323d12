using System.Net;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Identity;

/// <summary>
/// An identity provider whose keys cannot be fetched makes the gateway not ready, and <c>/readyz</c> says which
/// issuer, without the provider's error text (it is unauthenticated); the log says why. Its tokens get 503.
/// </summary>
public sealed class IdentityReadinessTests
{
    [Fact]
    public async Task OneTrustedIssuerUnreachable_NotReadyNamingIt_TheOtherReady()
    {
        var log = new CapturedLog();
        await using var provider = await OidcProvider.StartAsync();
        var dead = $"http://127.0.0.1:{Ports.Free()}";
        var (gateway, resource) = await IdentityGateway.StartGatewayTrustingAsync(provider, log: log, issuers: $"\"{provider.IssuerIdentifier}\", \"{dead}\"");
        await using var _ = gateway;
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(gateway.BaseAddress, "/readyz"));
        var text = await response.Content.ReadAsStringAsync();
        var issuers = JsonNode.Parse(text)!["identity"]!["issuers"]!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False((bool)JsonNode.Parse(text)!["ready"]!);
        Assert.Equal("ready", (string?)issuers[provider.IssuerIdentifier]!["keys"]);
        Assert.Equal("unreachable", (string?)issuers[dead]!["keys"]);
        Assert.DoesNotContain("refused", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(log.Lines, line => line.Contains("[2270]", StringComparison.Ordinal) && line.Contains(dead, StringComparison.Ordinal));

        var claims = provider.ClaimsOf("analyst", resource);
        claims["iss"] = dead;
        var stranded = provider.SignWithProviderKey("""{"alg":"RS256"}""", claims.ToJsonString());
        var (refused, _) = await RawMcp.PostAsync(gateway.Mcp("everything"), """{"jsonrpc":"2.0","id":1,"method":"ping"}""", new Dictionary<string, string> { ["Authorization"] = $"Bearer {stranded}" });
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        await MetricsScrape.WaitForAsync(gateway, "proctor_auth_failures_total\\{[^}]*reason=\"issuer_unavailable\"\\} [1-9]");
    }

    [Fact]
    public async Task ProviderUp_ReadyBeforeAnyTokenArrives()
    {
        await using var provider = await OidcProvider.StartAsync();
        var (gateway, _) = await IdentityGateway.StartGatewayTrustingAsync(provider);
        await using var _ = gateway;
        using var http = new HttpClient();

        // The stdio upstream may still be starting; the issuer's keys are what this test is about.
        var text = "";
        for (var deadline = DateTime.UtcNow.AddSeconds(20); ; await Task.Delay(200))
        {
            using var response = await http.GetAsync(new Uri(gateway.BaseAddress, "/readyz"));
            text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                break;
            }
        }

        Assert.Equal("ready", (string?)JsonNode.Parse(text)!["identity"]!["issuers"]![provider.IssuerIdentifier]!["keys"]);
    }
}
