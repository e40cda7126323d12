using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Reading;

public sealed class EnvironmentOverridesTests
{
    private const string File = """
        gateway:
          listen: "http://127.0.0.1:8080"
          allowedOrigins: ["http://localhost:6274"]
        upstreams:
          crm:
            url: "http://127.0.0.1:9000/mcp"
            headers: { Authorization: "Bearer ${env:CRM_TOKEN}", X-Api-Key: "${env:CRM_KEY}" }
          tool:
            command: npx
            args: ["-y", "server"]
        """;

    private static readonly (string, string)[] Secrets = [("CRM_TOKEN", "t"), ("CRM_KEY", "k")];

    [Fact]
    public void Load_OverrideOfExistingKey_ReplacesTheFileValue()
    {
        var model = Model(File, Environment([.. Secrets, ("PROCTOR__GATEWAY__LISTEN", "http://0.0.0.0:9090")]));

        Assert.Equal(new Uri("http://0.0.0.0:9090"), model.Gateway.Listen);
    }

    [Fact]
    public void Load_OverrideWithOtherCase_MatchesKeysIgnoringCase()
    {
        var model = Model(File, Environment([.. Secrets, ("proctor__Upstreams__CRM__url", "https://crm.internal/mcp"), ("PROCTOR__GATEWAY__MAXREQUESTBYTES", "1MiB")]));

        Assert.Equal(new Uri("https://crm.internal/mcp"), ((HttpUpstreamModel)model.Upstreams["crm"]).Url);
        Assert.Equal(1024 * 1024, model.Gateway.MaxRequestBytes);
    }

    [Fact]
    public void Load_OverrideOfALimit_SetsItPerDeployment()
    {
        var model = Model(File, Environment([.. Secrets, ("PROCTOR__GATEWAY__MAXSESSIONSPERIDENTITY", "250"), ("PROCTOR__GATEWAY__MAXCALLSPERSECONDPERIDENTITY", "40")]));

        Assert.Equal(250, model.Gateway.Limits.MaxSessionsPerIdentity);
        Assert.Equal(40, model.Gateway.Limits.MaxCallsPerSecondPerIdentity);
    }

    [Fact]
    public void Load_OverrideOfMissingKeys_CreatesThemWithTheirSpelling()
    {
        var model = Model(File, Environment(
            [
                .. Secrets,
                ("PROCTOR__LOGGING__LEVEL", "debug"),
                ("PROCTOR__UPSTREAMS__TOOL__RESTART__MAXBACKOFF", "2m"),
                ("PROCTOR__UPSTREAMS__TOOL__ENV__SOME_VAR", "x"),
                ("PROCTOR__UPSTREAMS__LEDGER__URL", "https://ledger.internal/mcp"),
                ("PROCTOR__UPSTREAMS__LEDGER__ALLOWLINKLOCAL", "false"),
            ]));

        Assert.Equal("Debug", model.Logging.Level);
        var tool = (StdioUpstreamModel)model.Upstreams["tool"];
        Assert.Equal(TimeSpan.FromMinutes(2), tool.MaxBackoff);
        Assert.Equal("x", tool.Environment["SOME_VAR"].Reveal());
        Assert.IsType<HttpUpstreamModel>(model.Upstreams["ledger"]);
    }

    [Fact]
    public void Load_HeaderOverride_MatchesUnderscoreToHyphenAndKeepsReferences()
    {
        var model = Model(File, Environment(
            [
                .. Secrets,
                ("OTHER_TOKEN", "other"),
                ("PROCTOR__UPSTREAMS__CRM__HEADERS__X_API_KEY", "${env:OTHER_TOKEN}"),
                ("PROCTOR__UPSTREAMS__CRM__HEADERS__X_TENANT", "bank-a"),
            ]));

        var crm = (HttpUpstreamModel)model.Upstreams["crm"];
        Assert.Equal("other", crm.Headers["X-Api-Key"].Reveal());
        Assert.Equal("bank-a", crm.Headers["X-Tenant"].Reveal());
    }

    [Fact]
    public void Load_UpstreamNameWithHyphen_IsMatchedByUnderscores()
    {
        var model = Model(
            "upstreams: { core-banking: { url: \"https://a.example/mcp\" } }",
            Environment(("PROCTOR__UPSTREAMS__CORE_BANKING__URL", "https://b.example/mcp"), ("PROCTOR__UPSTREAMS__NEW_ONE__COMMAND", "npx")));

        Assert.Equal(new Uri("https://b.example/mcp"), ((HttpUpstreamModel)model.Upstreams["core-banking"]).Url);
        Assert.IsType<StdioUpstreamModel>(model.Upstreams["new-one"]);
    }

    [Fact]
    public void Load_ListOverride_ReplacesOrAppendsByIndex()
    {
        var model = Model(File, Environment(
            [
                .. Secrets,
                ("PROCTOR__GATEWAY__ALLOWEDORIGINS__0", "https://console.bank.example"),
                ("PROCTOR__GATEWAY__ALLOWEDORIGINS__1", "https://ide.bank.example"),
                ("PROCTOR__UPSTREAMS__TOOL__ARGS__1", "other-server"),
            ]));

        Assert.Equal(["https://console.bank.example", "https://ide.bank.example"], model.Gateway.AllowedOrigins);
        Assert.Equal(["-y", "other-server"], ((StdioUpstreamModel)model.Upstreams["tool"]).Args);
    }

    [Fact]
    public void Load_OverrideOnEmptyFile_BuildsTheWholeConfiguration()
    {
        var model = Model("", Environment(("PROCTOR__UPSTREAMS__CRM__URL", "https://crm.internal/mcp"), ("PROCTOR__GATEWAY__ALLOWEDORIGINS__0", "https://a.example")));

        Assert.Equal(["crm"], model.Upstreams.Keys);
        Assert.Equal(["https://a.example"], model.Gateway.AllowedOrigins);
    }

    [Fact]
    public void Load_VariablesWithoutThePrefix_AreIgnored()
    {
        var model = Model(File, Environment([.. Secrets, ("PROCTOR_GATEWAY_LISTEN", "nonsense"), ("GATEWAY__LISTEN", "nonsense")]));

        Assert.Equal(new Uri("http://127.0.0.1:8080"), model.Gateway.Listen);
    }

    [Fact]
    public void Load_OverrideOfAliasedNode_ChangesOnlyTheNamedUpstream()
    {
        var model = Model("""
            upstreams:
              a: { url: "https://a.example/mcp", headers: &shared { X-Tenant: bank } }
              b: { url: "https://b.example/mcp", headers: *shared }
            """, Environment(("PROCTOR__UPSTREAMS__A__HEADERS__X_TENANT", "bank-a")));

        Assert.Equal("bank-a", ((HttpUpstreamModel)model.Upstreams["a"]).Headers["X-Tenant"].Reveal());
        Assert.Equal("bank", ((HttpUpstreamModel)model.Upstreams["b"]).Headers["X-Tenant"].Reveal());
    }

    [Theory]
    [InlineData("PROCTOR__GATEWAY__LISTEN", "nonsense", "gateway.listen: \"nonsense\" is not a listen address; use e.g. \"http://127.0.0.1:8080\" (set by environment variable PROCTOR__GATEWAY__LISTEN)")]
    [InlineData("PROCTOR__UPSTREAMS__CRM__TIMEOUT", "30", "upstreams.crm.timeout: \"30\" is not a duration; use \"30s\" (set by environment variable PROCTOR__UPSTREAMS__CRM__TIMEOUT)")]
    [InlineData("PROCTOR__GATEWAY__LISTN", "http://0.0.0.0:1", "gateway.LISTN: unknown key; did you mean \"listen\"? (set by environment variable PROCTOR__GATEWAY__LISTN)")]
    [InlineData("PROCTOR__UPSTREAMS__CRM__COMMAND", "npx", "upstreams.crm: has both \"command\" and \"url\"; keep \"command\" for a local server the gateway starts, or \"url\" for a remote server")]
    [InlineData("PROCTOR__UPSTREAMS__LEDGER__TIMEOUT", "5s", "upstreams.ledger: needs \"command\" (a local server the gateway starts) or \"url\" (a remote server); add one, e.g. url: \"https://mcp.example.com/mcp\" (set by environment variable PROCTOR__UPSTREAMS__LEDGER__TIMEOUT)")]
    [InlineData("PROCTOR__GATEWAY____LISTEN", "x", "PROCTOR__GATEWAY____LISTEN: is not a configuration key; separate nested keys with \"__\" and nothing else, e.g. PROCTOR__UPSTREAMS__CRM__URL")]
    [InlineData("PROCTOR__GATEWAY__", "x", "PROCTOR__GATEWAY__: is not a configuration key; separate nested keys with \"__\" and nothing else, e.g. PROCTOR__UPSTREAMS__CRM__URL")]
    [InlineData("PROCTOR__GATEWAY__LISTEN__HOST", "x", "gateway.listen: PROCTOR__GATEWAY__LISTEN__HOST sets a key inside gateway.listen, which holds a single value; use PROCTOR__GATEWAY__LISTEN")]
    [InlineData("PROCTOR__GATEWAY__ALLOWEDORIGINS__FIRST", "x", "gateway.allowedOrigins: PROCTOR__GATEWAY__ALLOWEDORIGINS__FIRST must give a list index after gateway.allowedOrigins, e.g. PROCTOR__GATEWAY__ALLOWEDORIGINS__0")]
    [InlineData("PROCTOR__GATEWAY__ALLOWEDORIGINS__5", "x", "gateway.allowedOrigins: PROCTOR__GATEWAY__ALLOWEDORIGINS__5 skips entries: the list has 1; use index 1 to add one")]
    [InlineData("PROCTOR__UPSTREAMS__CRM__HEADERS__AUTHORIZATION", "Bearer literal", "upstreams.crm.headers.Authorization: a credential must not be written into the configuration; reference it instead, e.g. \"Bearer ${env:CRM_TOKEN}\" (set by environment variable PROCTOR__UPSTREAMS__CRM__HEADERS__AUTHORIZATION)")]
    [InlineData("PROCTOR__UPSTREAMS__CRM__ALLOWLINKLOCAL", "", "upstreams.crm.allowLinkLocal: \"\" is not true or false; use false (set by environment variable PROCTOR__UPSTREAMS__CRM__ALLOWLINKLOCAL)")]
    public void Load_InvalidOverride_NamesTheKeyAndTheVariable(string variable, string value, string expected)
    {
        Assert.Equal([expected], Errors(File, Environment([.. Secrets, (variable, value)])));
    }

    [Fact]
    public void Load_MaskingOverrides_SetKeysOfListEntriesAndCreateEntries()
    {
        var model = Model(
            """
            masking:
              rules: [{ entity: ssn, strategy: partial }]
            """,
            Environment(
                ("PROCTOR__MASKING__RULES__0__STRATEGY", "token"),
                ("PROCTOR__MASKING__RULES__1__FIELD", "customer_name"),
                ("PROCTOR__MASKING__RULES__1__REVEALTO__0", "fraud"),
                ("PROCTOR__MASKING__DENYLISTS__0__NAME", "project"),
                ("PROCTOR__MASKING__DENYLISTS__0__TERMS__0", "Falcon"),
                ("PROCTOR__MASKING__TIMEBUDGET", "2s")));

        var masking = model.Masking;
        Assert.Equal(Proctor.Masking.Policy.MaskingStrategy.Token, masking.Rules[0].Strategy);
        Assert.Equal(("customer_name", "fraud"), (masking.Rules[1].Field, Assert.Single(masking.Rules[1].RevealTo)));
        Assert.Equal(["Falcon"], Assert.Single(masking.DenyLists).Terms);
        Assert.Equal(TimeSpan.FromSeconds(2), masking.TimeBudget);
    }

    [Fact]
    public void Load_MaskingOverrideWithBadValue_NamesTheKeyAndTheVariable()
    {
        var errors = Errors("masking: { rules: [{ entity: ssn }] }", Environment(("PROCTOR__MASKING__RULES__0__STRATEGY", "blur")));

        Assert.Equal(["masking.rules[0].strategy: \"blur\" is not a strategy; use redact, partial, token, hash, none (set by environment variable PROCTOR__MASKING__RULES__0__STRATEGY)"], errors);
    }

    [Fact]
    public void Load_MaskingOverrideOfAWholeEntry_IsRefusedWithAnExample()
    {
        var errors = Errors("", Environment(("PROCTOR__MASKING__RULES__0", "ssn")));

        Assert.Equal(["masking.rules[0]: PROCTOR__MASKING__RULES__0 sets the whole entry masking.rules[0]; set one of its keys, e.g. PROCTOR__MASKING__RULES__0__STRATEGY (set by environment variable PROCTOR__MASKING__RULES__0)"], errors);
    }
}
