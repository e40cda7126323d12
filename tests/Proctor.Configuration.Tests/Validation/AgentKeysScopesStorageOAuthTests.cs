using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

/// <summary><c>storage</c>, <c>identity.agentKeys</c>/<c>scopesSupported</c>, <c>upstreams.X.requiredScopes</c> and <c>upstreams.X.oauth</c>.</summary>
public sealed class AgentKeysScopesStorageOAuthTests
{
    private const string Identity = """
        identity:
          resource: "https://gateway.example.com/mcp"
          issuers: ["https://login.example.com"]
        """;

    private static readonly IReadOnlyDictionary<string, string> Secret = Environment(("CRM_CLIENT_SECRET", "s3cr3t-value"));

    [Fact]
    public void Defaults_StorageBesideTheWorkingFolder_AgentKeysOn_NoScopes()
    {
        var model = Model(Identity);

        Assert.Equal(Path.GetFullPath("proctor-data/proctor.db"), model.Storage.Path);
        Assert.True(model.Identity!.AgentKeys);
        Assert.Empty(model.Identity.ScopesSupported);
    }

    [Fact]
    public void StoragePath_RelativeToTheConfigurationFile()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(file, "storage: { path: \"data/keys.db\" }\n");

        var result = ConfigurationLoader.LoadFile(file, NoEnvironment);

        Assert.Equal(Path.Combine(folder.Path, "data", "keys.db"), result.Model!.Storage.Path);
    }

    [Fact]
    public void LoadStorage_ReadsOnlyTheStorageSection_UnresolvableSecretsElsewhereDoNotMatter()
    {
        using var folder = new TemporaryFolder();
        var file = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(file, "storage: { path: keys.db }\nupstreams: { crm: { url: \"https://crm.example.com/mcp\", headers: { Authorization: \"Bearer ${aws-ssm:/not/reachable}\" } } }\n"
            + "masking: { denyLists: [{ name: project, terms: [\"${file:missing-codenames.txt}\"] }] }\n");

        var (storage, errors) = ConfigurationLoader.LoadStorage(file, NoEnvironment);
        var (_, refused) = ConfigurationLoader.LoadStorage(file, Environment(("PROCTOR__STORAGE__PATH", "data/")));

        Assert.Empty(errors);
        Assert.Equal(Path.Combine(folder.Path, "keys.db"), storage!.Path);
        Assert.Equal("storage.path: \"data/\" names a folder; name the database file in it, e.g. \"data/proctor.db\" (set by environment variable PROCTOR__STORAGE__PATH)", Assert.Single(refused).ToString());
    }

    [Fact]
    public void IdentityAndScopes_AreRead()
    {
        var model = Model(Identity + """

              agentKeys: false
              scopesSupported: ["mcp:bank.read", "mcp:bank.write"]
            upstreams:
              bank:
                url: "https://bank.example.com/mcp"
                requiredScopes: ["mcp:bank.read"]
            """);

        Assert.False(model.Identity!.AgentKeys);
        Assert.Equal(["mcp:bank.read", "mcp:bank.write"], model.Identity.ScopesSupported);
        Assert.Equal(["mcp:bank.read"], model.Upstreams["bank"].RequiredScopes);
    }

    [Theory]
    [InlineData("storage: { path: \"\" }", "storage.path: is empty; name the SQLite database file, e.g. \"proctor-data/proctor.db\"")]
    [InlineData("storage: { path: \"data/\" }", "storage.path: \"data/\" names a folder; name the database file in it, e.g. \"data/proctor.db\"")]
    [InlineData("storage: { path: \"${env:DB}\" }", "storage.path: secret references are not resolved here; write the path itself, e.g. \"/var/lib/proctor/proctor.db\"")]
    [InlineData("upstreams: { bank: { url: \"https://bank.example.com/mcp\", requiredScopes: [\"a b\"] } }", "upstreams.bank.requiredScopes[0]: \"a b\" is not an OAuth scope (printable ASCII without spaces, quotes or backslashes); write one scope per entry, e.g. \"mcp:bank.read\"")]
    [InlineData("upstreams: { bank: { url: \"https://bank.example.com/mcp\", requiredScopes: [\"x\"] } }", "upstreams.bank.requiredScopes: needs the identity section: without verified tokens there are no authentication facts to check; configure identity (docs/configuration.md) or remove this key")]
    public void Refused_WithTheKeyAndAFix(string yaml, string expected)
    {
        Assert.Contains(expected, Errors(yaml));
    }

    [Fact]
    public void IdentityAgentKeys_NotABoolean_Refused()
    {
        var errors = Errors(Identity + "\n  agentKeys: maybe\n");

        Assert.Single(errors, e => e.StartsWith("identity.agentKeys: ", StringComparison.Ordinal));
    }

    [Fact]
    public void OAuth_Complete_BuildsSettingsAndHidesTheSecret()
    {
        var model = Model("""
            upstreams:
              crm:
                url: "https://crm.example.com/mcp"
                oauth:
                  tokenUrl: "https://login.example.com/oauth2/token"
                  clientId: "proctor"
                  clientSecret: "${env:CRM_CLIENT_SECRET}"
                  scope: "crm.read"
                  resource: "https://crm.example.com/mcp"
                  clientAuthentication: post
            """, Secret);

        var oauth = ((HttpUpstreamModel)model.Upstreams["crm"]).OAuth!;
        Assert.Equal("s3cr3t-value", oauth.ClientSecret.Reveal());
        Assert.Equal(OAuthClientAuthentication.Post, oauth.ClientAuthentication);
        Assert.DoesNotContain("s3cr3t-value", oauth.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", model.Upstreams["crm"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OAuth_HashDependsOnTheReferenceNotTheSecret()
    {
        const string yaml = """
            upstreams:
              crm:
                url: "https://crm.example.com/mcp"
                oauth: { tokenUrl: "https://login.example.com/token", clientId: "proctor", clientSecret: "${env:CRM_CLIENT_SECRET}" }
            """;

        var first = Model(yaml, Secret).Hash;
        var rotated = Model(yaml, Environment(("CRM_CLIENT_SECRET", "another"))).Hash;
        var withoutOAuth = Model("upstreams: { crm: { url: \"https://crm.example.com/mcp\" } }").Hash;

        Assert.Equal(first, rotated);
        Assert.NotEqual(first, withoutOAuth);
    }

    [Theory]
    [InlineData("{ clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", "upstreams.crm.oauth.tokenUrl: is required: the authorization server's token endpoint, e.g. \"https://login.example.com/oauth2/token\"")]
    [InlineData("{ tokenUrl: \"http://login.example.com/token\", clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", "upstreams.crm.oauth.tokenUrl: \"http://login.example.com/token\" uses plain http on a non-loopback host: the client secret would cross the network in clear; use https")]
    [InlineData("{ tokenUrl: \"https://proctor:literal-secret@l.example.com/t\", clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", "upstreams.crm.oauth.tokenUrl: has credentials in it (user:password@); remove them: the gateway authenticates with clientId and clientSecret")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", "upstreams.crm.oauth.clientId: is required: the client id the authorization server issued to the gateway, e.g. \"proctor-gateway\"")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: p }", "upstreams.crm.oauth.clientSecret: is required; reference it, e.g. \"${env:CRM_CLIENT_SECRET}\"")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: p, clientSecret: \"literal-secret\" }", "upstreams.crm.oauth.clientSecret: a client secret must not be written into the configuration; reference it instead, e.g. \"${env:CRM_CLIENT_SECRET}\"")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: p, clientSecret: \"${env:MISSING}\" }", "upstreams.crm.oauth.clientSecret: environment variable MISSING is not set; set it or change the reference")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\", clientAuthentication: jwt }", "upstreams.crm.oauth.clientAuthentication: \"jwt\" is not a client authentication method; use basic (client_secret_basic) or post (client_secret_post)")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: \"${env:CRM_CLIENT_ID}\", clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", "upstreams.crm.oauth.clientId: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms; write the client id itself (it is not a secret)")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\", audience: \"${env:CRM_AUDIENCE}\" }", "upstreams.crm.oauth.audience: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms; write the audience itself")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\", scope: \"crm.read ${env:EXTRA_SCOPE}\" }", "upstreams.crm.oauth.scope: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms; write the scopes themselves")]
    [InlineData("{ tokenUrl: \"https://l.example.com/${env:TENANT}/token\", clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\" }", "upstreams.crm.oauth.tokenUrl: secret references are resolved only in env, headers, url, oauth.clientSecret, webhook secrets and masking deny-list terms; write the URL itself")]
    [InlineData("{ tokenUrl: \"https://l.example.com/t\", clientId: p, clientSecret: \"${env:CRM_CLIENT_SECRET}\", scopes: x }", "upstreams.crm.oauth.scopes: unknown key; did you mean \"scope\"?")]
    public void OAuth_Refused_WithTheKeyAndAFix(string oauth, string expected)
    {
        var errors = Errors($"upstreams: {{ crm: {{ url: \"https://crm.example.com/mcp\", oauth: {oauth} }} }}", Secret);

        Assert.Contains(expected, errors);
        Assert.DoesNotContain(errors, e => e.Contains("literal-secret", StringComparison.Ordinal) || e.Contains("s3cr3t-value", StringComparison.Ordinal));
    }

    [Fact]
    public void OAuth_WithAnAuthorizationHeader_Refused()
    {
        var errors = Errors("""
            upstreams:
              crm:
                url: "https://crm.example.com/mcp"
                headers: { Authorization: "Bearer ${env:CRM_CLIENT_SECRET}" }
                oauth: { tokenUrl: "https://l.example.com/t", clientId: p, clientSecret: "${env:CRM_CLIENT_SECRET}" }
            """, Secret);

        Assert.Contains("upstreams.crm.headers.Authorization: conflicts with oauth, which sets Authorization to the gateway's own token; remove one of them", errors);
    }

    [Fact]
    public void OAuth_OnAStdioUpstream_Refused()
    {
        var errors = Errors("upstreams: { tool: { command: npx, oauth: { tokenUrl: \"https://l.example.com/t\" } } }");

        Assert.Contains(errors, e => e.StartsWith("upstreams.tool.oauth: ", StringComparison.Ordinal));
    }

    [Fact]
    public void EnvironmentOverride_SetsOAuthAndScopes()
    {
        var environment = Environment(
            ("CRM_CLIENT_SECRET", "s"),
            ("PROCTOR__UPSTREAMS__CRM__URL", "https://crm.example.com/mcp"),
            ("PROCTOR__UPSTREAMS__CRM__OAUTH__TOKENURL", "https://l.example.com/t"),
            ("PROCTOR__UPSTREAMS__CRM__OAUTH__CLIENTID", "p"),
            ("PROCTOR__UPSTREAMS__CRM__OAUTH__CLIENTSECRET", "${env:CRM_CLIENT_SECRET}"),
            ("PROCTOR__STORAGE__PATH", "/var/lib/proctor/p.db"));

        var model = Model("", environment);

        Assert.Equal("p", ((HttpUpstreamModel)model.Upstreams["crm"]).OAuth!.ClientId);
        Assert.Equal("/var/lib/proctor/p.db", model.Storage.Path);
    }
}
