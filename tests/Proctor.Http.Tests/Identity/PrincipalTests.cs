using System.Net;
using System.Security.Claims;
using Proctor.Http.Identity;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Tests.Identity;

/// <summary>The claims principal a verified caller becomes, as ASP.NET Core sees it.</summary>
public sealed class PrincipalTests
{
    public static TheoryData<string?, string[]> Callers => new()
    {
        { "https://login.example.com", ["analysts", "fraud-investigators"] },
        { "proctor:agent-keys", [] },
        { null, ["g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9"] },
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public void Principal_VerifiedCaller_OneAuthenticatedIdentityHoldingExactlyItsClaims(string? issuer, string[] groups)
    {
        var caller = new Caller("alice@example.com", "oidc", IPAddress.Loopback, null, "") { Issuer = issuer, Groups = groups };

        var principal = ProctorAuthenticationHandler.Principal(caller);

        var identity = Assert.IsType<ClaimsIdentity>(Assert.Single(principal.Identities));
        Assert.True(identity.IsAuthenticated);
        Assert.Equal(ProctorAuthenticationHandler.SchemeName, identity.AuthenticationType);
        var expected = new List<(string, string)> { (ClaimTypes.NameIdentifier, "alice@example.com"), (ClaimTypes.AuthenticationMethod, "oidc") };
        if (issuer is not null)
        {
            expected.Add(("iss", issuer));
        }
        expected.AddRange(groups.Select(g => ("groups", g)));
        Assert.Equal(expected, principal.Claims.Select(c => (c.Type, c.Value)));
        Assert.All(principal.Claims, claim =>
        {
            Assert.Same(identity, claim.Subject);
            Assert.Equal(ClaimValueTypes.String, claim.ValueType);
            Assert.Equal(ClaimsIdentity.DefaultIssuer, claim.Issuer);
        });
        Assert.Equal("alice@example.com", principal.FindFirstValue(ClaimTypes.NameIdentifier));
        Assert.Equal(groups, principal.FindAll("groups").Select(c => c.Value));
    }
}
