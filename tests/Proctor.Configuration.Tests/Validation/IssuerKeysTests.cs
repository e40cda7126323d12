using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

/// <summary><c>identity.issuerKeys</c>: an issuer's keys pinned from a JWKS file instead of discovery.</summary>
public sealed class IssuerKeysTests
{
    private const string Identity = """
        identity:
          resource: "https://gateway.example.com/mcp"
          issuers: ["https://login.example.com"]
        """;

    [Fact]
    public void IssuerKeys_ForAListedIssuer_PathTakenFromTheConfigurationFolder_AndPartOfTheHash()
    {
        var pinned = Model(Identity + "\n  issuerKeys: { \"https://login.example.com\": \"keys/login.jwks.json\" }\n");
        var discovered = Model(Identity);

        Assert.Equal(Path.GetFullPath("keys/login.jwks.json"), pinned.Identity!.IssuerKeyFiles["https://login.example.com"]);
        Assert.Empty(discovered.Identity!.IssuerKeyFiles);
        Assert.NotEqual(discovered.Hash, pinned.Hash);
    }

    [Fact]
    public void IssuerKeys_ForAnIssuerNotListed_IsRefusedWithTheFix()
    {
        var errors = Errors(Identity + "\n  issuerKeys: { \"https://other.example.com\": \"keys/other.jwks.json\" }\n");

        Assert.Equal("identity.issuerKeys.https://other.example.com: names no issuer listed in identity.issuers; pin keys only for an issuer the gateway trusts, written exactly as in identity.issuers", Assert.Single(errors));
    }

    [Fact]
    public void IssuerKeys_NotAMap_IsRefused()
    {
        var error = Assert.Single(Errors(Identity + "\n  issuerKeys: \"keys/login.jwks.json\"\n"));

        Assert.StartsWith("identity.issuerKeys: expected a map from issuer URL to a JWKS file", error, StringComparison.Ordinal);
    }
}
