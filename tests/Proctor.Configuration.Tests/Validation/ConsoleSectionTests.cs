using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

/// <summary><c>console</c>: who signs in to the web console, and how (docs/console.md).</summary>
public sealed class ConsoleSectionTests
{
    private const string Identity = """
        identity:
          resource: "https://gateway.example.com/mcp"
          issuers: ["https://login.example.com"]
        """;

    [Fact]
    public void Written_IsBound_AndPartOfTheHash()
    {
        var model = Model(Identity + "\nconsole: { clientId: \"proctor-console\", issuer: \"https://login.example.com\", scopes: [openid, profile], idleTimeout: \"15m\" }\n");

        Assert.Equal("proctor-console", model.Console.ClientId);
        Assert.Equal(new Uri("https://login.example.com"), model.Console.Issuer);
        Assert.Equal(["openid", "profile"], model.Console.Scopes);
        Assert.Equal(TimeSpan.FromMinutes(15), model.Console.IdleTimeout);
        Assert.False(model.Console.TokenSignIn);
        Assert.NotEqual(Model(Identity).Hash, model.Hash);
    }

    [Fact]
    public void NotWritten_NoSignInIsOffered()
    {
        var console = Model(Identity).Console;

        Assert.Null(console.ClientId);
        Assert.Null(console.Issuer);
        Assert.Equal(["openid"], console.Scopes);
        Assert.Equal(TimeSpan.FromMinutes(30), console.IdleTimeout);
        Assert.False(console.TokenSignIn);
    }

    [Fact]
    public void WithoutIdentity_IsRefused()
    {
        var error = Assert.Single(Errors("console: { tokenSignIn: true }\n"));

        Assert.Contains("console: the console signs in verified people only", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIssuerTheGatewayDoesNotTrust_IsRefused_NamingTheTrustedOnes()
    {
        var error = Assert.Single(Errors(Identity + "\nconsole: { clientId: \"c\", issuer: \"https://elsewhere.example.com\" }\n"));

        Assert.Contains("console.issuer: 'https://elsewhere.example.com' is not one of identity.issuers", error, StringComparison.Ordinal);
        Assert.Contains("https://login.example.com", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIdleTimeoutUnderAMinute_IsRefused()
    {
        var error = Assert.Single(Errors(Identity + "\nconsole: { idleTimeout: \"10s\" }\n"));

        Assert.StartsWith("console.idleTimeout: 10s would sign people out", error, StringComparison.Ordinal);
    }
}
