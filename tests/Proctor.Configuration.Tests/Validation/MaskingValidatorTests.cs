using Proctor.Configuration.Tests.Secrets;
using Proctor.Masking.Policy;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class MaskingValidatorTests
{
    private const string Upstreams = """
        upstreams:
          bank:
            command: dotnet
            env: { BANK_TOKEN: "${env:BANK_TOKEN}" }
          crm:
            url: "https://crm.example.com/mcp"
            headers: { Authorization: "Bearer ${env:CRM_TOKEN}" }
        """;

    private static readonly Dictionary<string, string> Secrets = Environment(("BANK_TOKEN", "bank-token-0123456789"), ("CRM_TOKEN", "crm-token-9876543210"));

    [Fact]
    public void Load_FullSection_BindsIntoThePolicyInTheOrderWritten()
    {
        var policy = Model($$"""
            masking:
              timeBudget: 250ms
              rules:
                - { entity: ssn, strategy: partial, keepLast: 4, revealTo: [fraud-investigators] }
                - { field: customer_name, strategy: token }
                - { path: customer.email, strategy: hash }
              overrides:
                - server: bank
                  tool: get_customer
                  rules:
                    - { entity: ip_address, strategy: none }
                - { server: crm, rules: [{ entity: email, strategy: redact }] }
              customPatterns:
                - { name: customer_id, pattern: "C[0-9]{5}" }
              denyLists:
                - { name: project, terms: ["Blue Harbor", "Falcon"] }
            {{Upstreams}}
            """, Secrets).Masking;

        Assert.Equal(TimeSpan.FromMilliseconds(250), policy.TimeBudget);
        Assert.Equal(3, policy.Rules.Count);
        Assert.Equal(new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Partial, KeepLast = 4, RevealTo = policy.Rules[0].RevealTo }, policy.Rules[0]);
        Assert.Equal(["fraud-investigators"], policy.Rules[0].RevealTo);
        Assert.Equal(("customer_name", MaskingStrategy.Token), (policy.Rules[1].Field, policy.Rules[1].Strategy));
        Assert.Equal(("customer.email", MaskingStrategy.Hash), (policy.Rules[2].Path, policy.Rules[2].Strategy));
        Assert.Equal(("bank", "get_customer"), (policy.Overrides[0].Server, policy.Overrides[0].Tool));
        Assert.Equal(("ip_address", MaskingStrategy.None), (policy.Overrides[0].Rules[0].Entity, policy.Overrides[0].Rules[0].Strategy));
        Assert.Equal(("crm", (string?)null), (policy.Overrides[1].Server, policy.Overrides[1].Tool));
        Assert.Equal(new CustomPattern("customer_id", "C[0-9]{5}"), Assert.Single(policy.CustomPatterns));
        var denyList = Assert.Single(policy.DenyLists);
        Assert.Equal("project", denyList.Name);
        Assert.Equal(["Blue Harbor", "Falcon"], denyList.Terms);
    }

    [Fact]
    public void Load_NoSection_BuiltInRulesWithTheGatewaysOwnSecrets()
    {
        var policy = Model(Upstreams, Secrets).Masking;

        Assert.Empty(policy.Rules);
        Assert.Empty(policy.DenyLists);
        Assert.Equal(TimeSpan.FromSeconds(1), policy.TimeBudget);
        Assert.Equal(["bank-token-0123456789", "crm-token-9876543210"], policy.GatewaySecrets);
    }

    [Fact]
    public void Load_OAuthClientSecret_IsAGatewaySecret()
    {
        var policy = Model("""
            upstreams:
              crm:
                url: "https://crm.example.com/mcp"
                oauth: { tokenUrl: "https://login.example.com/token", clientId: proctor, clientSecret: "${env:CRM_CLIENT_SECRET}" }
            """, Environment(("CRM_CLIENT_SECRET", "client-secret-55aa"))).Masking;

        Assert.Equal(["client-secret-55aa"], policy.GatewaySecrets);
    }

    [Fact]
    public void Load_DenyListTermAsReference_IsResolvedAndNotAGatewaySecret()
    {
        var secrets = new FakeSecretResolver("file", new Dictionary<string, string> { ["codenames.txt"] = "Operation Nightjar" });

        var policy = Model("""
            masking:
              denyLists:
                - { name: project, terms: ["Falcon", "${file:codenames.txt}"] }
            """, secrets: secrets).Masking;

        Assert.Equal(["Falcon", "Operation Nightjar"], Assert.Single(policy.DenyLists).Terms);
        Assert.Empty(policy.GatewaySecrets);
    }

    [Fact]
    public void Load_DenyListTermReferenceMissing_NamesTheTerm()
    {
        var secrets = new FakeSecretResolver("file", []);

        var errors = Errors("""
            masking:
              denyLists: [{ name: project, terms: ["${file:codenames.txt}"] }]
            """, secrets: secrets);

        Assert.Equal(["masking.denyLists[0].terms[0]: file secret codenames.txt does not exist"], errors);
    }

    public static TheoryData<string, string> Rejected => new()
    {
        { "rules: [{ entity: ssn, strategy: redakt }]", "masking.rules[0].strategy: \"redakt\" is not a strategy; use redact, partial, token, hash, none" },
        { "rules: [{ entity: ssn, strategy: partial, keepLast: four }]", "masking.rules[0].keepLast: \"four\" is not a whole number; use 1 to 8, e.g. 4" },
        { "rules: [{ entity: ssn, strategy: partial, keepLast: 12 }]", "masking.rules[0].keepLast: 12 is out of range; use 1 to 8 (4 is usual)" },
        { "rules: [{ entity: ssn }, { entity: card }, { entity: ssn, field: ssn }]", "masking.rules[2]: set exactly one of entity, field or path (found 2)" },
        { "rules: [{ entity: gateway_secret, strategy: none }]", "masking.rules[0].entity: gateway_secret (the gateway's own credentials) is always redacted; remove this rule" },
        { "rules: [{ entity: ssn, stratgy: token }]", "masking.rules[0].stratgy: unknown key; did you mean \"strategy\"?" },
        { "rules: [ssn]", "masking.rules[0]: expected a rule, found \"ssn\"; use e.g. { entity: ssn, strategy: partial, keepLast: 4 }" },
        { "rules: { entity: ssn }", "masking.rules: expected a list, found a mapping; use e.g. [{ entity: ssn, strategy: partial, keepLast: 4 }]" },
        { "rules: [{ entity: ssn, revealTo: [\" \"] }]", "masking.rules[0].revealTo[0]: is empty; name a group, e.g. \"fraud-investigators\"" },
        { "overrides: [{ server: bnk, rules: [{ entity: ssn }] }]", "masking.overrides[0].server: \"bnk\" is not a configured upstream; did you mean \"bank\"?" },
        { "overrides: [{ server: ledger }]", "masking.overrides[0].server: \"ledger\" is not a configured upstream; use one of bank, crm" },
        { "overrides: [{ server: bank, rules: [{ entity: ssn, strategy: partial, keepLast: 0 }] }]", "masking.overrides[0].rules[0].keepLast: 0 is out of range; use 1 to 8 (4 is usual)" },
        { "customPatterns: [{ name: customer_id, pattern: \"C[0-9\" }]", "masking.customPatterns[0].pattern: \"C[0-9\" is not a valid regular expression (" },
        { "customPatterns: [{ name: Customer, pattern: \"C[0-9]{5}\" }]", "masking.customPatterns[0].name: \"Customer\" must be lowercase letters, digits and _; e.g. \"customer_id\"" },
        { "denyLists: [{ name: ssn, terms: [Falcon] }]", "masking.denyLists[0].name: \"ssn\" is already an entity type; choose another name" },
        { "denyLists: [{ name: project, terms: [] }]", "masking.denyLists[0].terms: is empty; list at least one term or remove the deny-list" },
        { "timeBudget: \"1\"", "masking.timeBudget: \"1\" is not a duration; use \"1s\"" },
        { "timeBudget: \"0s\"", "masking.timeBudget: \"0s\" must be longer than zero; use \"1s\"" },
        { "rulez: []", "masking.rulez: unknown key; did you mean \"rules\"?" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Load_InvalidSetting_NamesTheKeyAndTheFix(string setting, string expected)
    {
        var error = Assert.Single(Errors($"""
            masking:
              {setting}
            {Upstreams}
            """, Secrets));

        Assert.StartsWith(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownEntity_ListsTheKnownOnes()
    {
        var error = Assert.Single(Errors("masking: { rules: [{ entity: sssn }] }"));

        Assert.StartsWith("masking.rules[0].entity: \"sssn\" is not a known entity type; use one of aba_routing, auth_header, aws_access_key,", error, StringComparison.Ordinal);
        Assert.DoesNotContain("gateway_secret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SeveralErrors_AreAllReported()
    {
        var errors = Errors("""
            masking:
              rules: [{ entity: ssn, strategy: redakt }, 42, { entity: card, strategy: partial, keepLast: 9 }]
              timeBudget: soon
            """);

        Assert.Equal(4, errors.Length);
        Assert.Contains(errors, e => e.StartsWith("masking.rules[0].strategy:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("masking.rules[1]: expected a rule", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("masking.rules[2].keepLast: 9 is out of range", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("masking.timeBudget:", StringComparison.Ordinal));
    }
}
