namespace Proctor.Configuration.Tests.Validation;

public sealed class IdentityValidatorTests
{
    private static ConfigurationLoadResult Load(string identity) =>
        ConfigurationLoader.LoadYaml("identity:\n" + identity, "test.yaml", new Dictionary<string, string>());

    [Fact]
    public void Load_CompleteSection_BuildsSettingsWithDefaults()
    {
        var result = Load("  resource: \"https://gateway.example.com/mcp\"\n  issuers: [\"https://login.example.com\"]\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        var identity = result.Model!.Identity!;
        Assert.Equal(new Uri("https://gateway.example.com/mcp"), identity.Resource);
        Assert.Equal([new Uri("https://login.example.com")], identity.Issuers);
        Assert.Equal("groups", identity.GroupsClaim);
        Assert.Equal(TimeSpan.FromSeconds(30), identity.ClockSkew);
        Assert.DoesNotContain(identity.Algorithms, a => a.StartsWith("HS", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_NoIdentitySection_IdentityIsNull()
    {
        var result = ConfigurationLoader.LoadYaml("gateway: {}\n", "test.yaml", new Dictionary<string, string>());

        Assert.Null(result.Model!.Identity);
    }

    [Theory]
    [InlineData("  issuers: [\"https://login.example.com\"]\n", "identity.resource", "is required")]
    [InlineData("  resource: \"gateway/mcp\"\n  issuers: [\"https://login.example.com\"]\n", "identity.resource", "not an absolute http(s) URL")]
    [InlineData("  resource: \"https://g.example.com/mcp\"\n", "identity.issuers", "lists no issuer")]
    [InlineData("  resource: \"https://g.example.com/mcp\"\n  issuers: [\"http://login.example.com\"]\n", "identity.issuers[0]", "plain http on a non-loopback host")]
    [InlineData("  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://login.example.com\"]\n  algorithms: [\"HS256\"]\n", "identity.algorithms[0]", "\"HS256\" is not allowed")]
    [InlineData("  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://login.example.com\"]\n  algorithms: [\"none\"]\n", "identity.algorithms[0]", "\"none\" is not allowed")]
    [InlineData("  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://login.example.com\"]\n  clockSkew: \"10m\"\n", "identity.clockSkew", "more than 5m")]
    [InlineData("  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://login.example.com\"]\n  audience: \"x\"\n", "identity.audience", "unknown key")]
    public void Load_InvalidSection_NamesTheKeyAndTheFix(string identity, string key, string message)
    {
        var result = Load(identity);

        var error = Assert.Single(result.Errors);
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LoopbackHttpIssuer_IsAccepted()
    {
        var result = Load("  resource: \"http://127.0.0.1:8080/mcp\"\n  issuers: [\"http://127.0.0.1:9000\"]\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Hash_IdentityChanges_HashChanges()
    {
        var one = Load("  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://a.example.com\"]\n").Model!.Hash;
        var two = Load("  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://b.example.com\"]\n").Model!.Hash;

        Assert.NotEqual(one, two);
    }

    [Fact]
    public void Override_IdentityResourceFromEnvironment_IsApplied()
    {
        var result = ConfigurationLoader.LoadYaml(
            "identity:\n  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://a.example.com\"]\n",
            "test.yaml",
            new Dictionary<string, string> { ["PROCTOR__IDENTITY__RESOURCE"] = "https://other.example.com/mcp" });

        Assert.Equal(new Uri("https://other.example.com/mcp"), result.Model!.Identity!.Resource);
    }

    [Fact]
    public void Load_RequireMfaWithoutIdentity_NamesTheKeyAndTheSection()
    {
        var result = ConfigurationLoader.LoadYaml("upstreams:\n  bank:\n    command: \"node\"\n    requireMfa: true\n", "test.yaml", new Dictionary<string, string>());

        var error = Assert.Single(result.Errors);
        Assert.Equal("upstreams.bank.requireMfa", error.Key);
        Assert.Contains("needs the identity section", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UpstreamRequirements_AreInTheModel()
    {
        var result = ConfigurationLoader.LoadYaml(
            "identity:\n  resource: \"https://g.example.com/mcp\"\n  issuers: [\"https://a.example.com\"]\nupstreams:\n  bank:\n    url: \"https://bank.example.com/mcp\"\n    requireMfa: true\n    maxAuthAge: \"12h\"\n",
            "test.yaml",
            new Dictionary<string, string>());

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.True(result.Model!.Upstreams["bank"].RequireMfa);
        Assert.Equal(TimeSpan.FromHours(12), result.Model.Upstreams["bank"].MaxAuthenticationAge);
    }
}
