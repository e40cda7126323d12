using Proctor.Configuration.Policies;
using Proctor.Policy.Building;
using Proctor.Policy.Documents;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Policies;

public sealed class PolicyLoaderTests
{
    private const string Upstreams = """
        upstreams:
          bank: { command: bank-server }
          crm: { url: "https://crm.example/mcp" }
        """;

    private const string AnalystsRule = "{ id: analysts, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [search_customers] } }";

    [Fact]
    public void Load_NoPolicySection_UsesTheDefaultThatAllowsEveryCaller()
    {
        var policy = Model(Upstreams).Policy;

        Assert.True(policy.IsDefault);
        Assert.Null(policy.File);
        Assert.Equal(1, policy.Model.RuleCount);
        Assert.Equal(PolicyLoader.Default().Model.Hash, policy.Model.Hash);
        Assert.Matches("^[0-9a-f]{64}$", policy.Model.Hash);
    }

    [Fact]
    public void Load_InlinePolicy_IsBuiltAndHashedWithTheLedgersCanonicalizer()
    {
        var policy = Model(Upstreams + "\npolicy:\n  rules:\n    - " + AnalystsRule).Policy;

        Assert.False(policy.IsDefault);
        Assert.Equal("proctor.yaml (policy:)", policy.Source);
        Assert.Null(policy.File);
        var read = PolicyDocumentReader.Read("rules:\n  - " + AnalystsRule, "same.yaml");
        var expected = PolicyBuilder.Build(read.Options, PolicyLoader.Hash).Model!.Hash;
        Assert.Equal(expected, policy.Model.Hash);
    }

    [Fact]
    public void Load_InlinePolicyWithErrors_NamesPolicyRuleFieldAndLine()
    {
        var errors = Errors(Upstreams + """

            policy:
              rules:
                - { id: first, effect: maybe, subjects: { everyone: true }, targets: { servers: [bank] } }
            """);

        Assert.Equal(["policy.rules[0](first).effect: \"maybe\" is not an effect; write allow, deny, approve or grant"], errors);
        Assert.Equal(7, Load(Upstreams + "\n\npolicy:\n  rules:\n    - { id: first, effect: maybe, subjects: { everyone: true }, targets: { servers: [bank] } }").Errors[0].Line);
    }

    [Fact]
    public void Load_ServerPatternMatchingNoUpstream_IsRefused()
    {
        var errors = Errors(Upstreams + "\npolicy:\n  rules:\n    - { id: typo, effect: deny, subjects: { everyone: true }, targets: { servers: [bnak] } }");

        Assert.Equal(["policy.rules[0](typo).targets.servers[0]: \"bnak\" matches no configured server (configured: bank, crm); did you mean 'bank'?"], errors);
    }

    [Fact]
    public void Load_PolicyFile_IsReadRelativeToTheConfigurationAndWatchable()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "policy.yaml"), "rules:\n  - " + AnalystsRule);
        var config = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(config, Upstreams + "\npolicy: { file: policy.yaml }\n");

        var result = ConfigurationLoader.LoadFile(config, NoEnvironment);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var policy = result.Model!.Policy;
        Assert.Equal(Path.Combine(folder.Path, "policy.yaml"), policy.File);
        Assert.Equal(policy.File, policy.Source);
        Assert.Equal(1, policy.Model.RuleCount);
    }

    [Fact]
    public void Load_PolicyFileWithErrors_NamesTheFileRuleFieldLineAndColumn()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "policy.yaml"), "rules:\n  - { id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [bank], tools: [\"get_[ab]\"] } }\n");
        var config = Path.Combine(folder.Path, "proctor.yaml");
        File.WriteAllText(config, Upstreams + "\npolicy: { file: policy.yaml }\n");

        var errors = ConfigurationLoader.LoadFile(config, NoEnvironment).Errors.Select(e => e.ToString()).ToArray();

        var error = Assert.Single(errors);
        Assert.StartsWith("policy.file: policy.yaml: rules[0](r).targets.tools[0]: line 2, column ", error);
        Assert.Contains("\"get_[ab]\" is not a valid pattern", error);
    }

    [Theory]
    [InlineData("policy: { file: missing.yaml }", "policy.file: missing.yaml: ")]
    [InlineData("policy: { file: policy.yaml, rules: [] }", "policy: holds file: and other keys; either name a policy file (policy: { file: \"policy.yaml\" }) or write the rules inline, not both")]
    [InlineData("policy: { file: \"\" }", "policy.file: expected the path of a policy file, e.g. \"policy.yaml\" (relative to the configuration's folder)")]
    [InlineData("policy: policy.yaml", "policy: expected a policy document (a mapping with rules, roles, timeWindows) or { file: PATH }, found ")]
    public void Load_BadPolicySection_IsRefusedWithWhatToWrite(string section, string expectedStart)
    {
        var errors = Errors(Upstreams + "\n" + section);

        Assert.StartsWith(expectedStart, Assert.Single(errors));
    }

    [Fact]
    public void LoadFile_DescriptionsAndCommentsChanged_HashIsTheSame()
    {
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "p.yaml");
        File.WriteAllText(path, "rules:\n  - " + AnalystsRule);
        var first = PolicyLoader.LoadFile(path, ["bank"]).Policy!.Model.Hash;
        File.WriteAllText(path, "# who may look customers up\nrules:\n  - { description: analysts look customers up, id: analysts, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [search_customers] } }");
        var second = PolicyLoader.LoadFile(path, ["bank"]).Policy!.Model.Hash;
        File.WriteAllText(path, "rules:\n  - " + AnalystsRule.Replace("search_customers", "get_customer", StringComparison.Ordinal));
        var third = PolicyLoader.LoadFile(path, ["bank"]).Policy!.Model.Hash;

        Assert.Equal(first, second);
        Assert.NotEqual(first, third);
    }
}
