using Proctor.Policy.Documents;

namespace Proctor.Policy.Tests.Documents;

public sealed class PolicyDocumentReaderTests
{
    [Fact]
    public void Read_FullRule_KeepsEveryFieldAsWritten()
    {
        var read = PolicyDocumentReader.Read("""
            rules:
              - id: big
                description: d
                effect: approve
                subjects: { everyone: false, users: [u], groups: [g], agentKeys: [k], roles: [r] }
                targets: { servers: [s], tools: [t], prompts: [p], resources: [x] }
                require: { mfa: true, amr: [hwk], acr: [a], scopes: [sc], maxAuthAge: 5m }
                during: w
                condition: |
                  args.amount > 10
                message: m
                link: https://x.example
                approval: { approvers: [sup], minApprovals: 2 }
            """, "p.yaml");

        var rule = Assert.Single(read.Options.Rules);
        Assert.Empty(read.Errors);
        Assert.Equal(("big", "d", "approve", "w", "args.amount > 10\n", "m", "https://x.example"), (rule.Id, rule.Description, rule.Effect, rule.During, rule.Condition, rule.Message, rule.Link));
        Assert.Equal(["u", "g", "k", "r"], [.. rule.Subjects!.Users, .. rule.Subjects.Groups, .. rule.Subjects.AgentKeys, .. rule.Subjects.Roles]);
        Assert.Equal((true, "5m", 2), (rule.Require!.Mfa, rule.Require.MaxAuthAge, rule.Approval!.MinApprovals));
        Assert.Equal(new Proctor.Policy.Options.SourceLocation(9, 16), read.Options.Locations["rules[0].condition"]);
    }

    [Fact]
    public void Read_NullValues_AreNotWritten()
    {
        var read = PolicyDocumentReader.Read("roles: ~\ntimeWindows:\nrules:\n  - { id: r, condition: ~, require: null, subjects: { groups: ~ } }", "p.yaml");

        Assert.Empty(read.Errors);
        Assert.Null(read.Options.Rules[0].Condition);
        Assert.Null(read.Options.Rules[0].Require);
        Assert.Empty(read.Options.Rules[0].Subjects!.Groups);
    }

    [Fact]
    public void Read_DuplicateKey_NamesIt() =>
        Assert.Equal("p.yaml: line 1, column 18: the key \"id\" appears twice in the same mapping; keep one",
            Assert.Single(PolicyDocumentReader.Read("rules: [{ id: a, id: b }]", "p.yaml").Errors).ToString());

    [Fact]
    public void Read_NotAMapping_SaysWhatIsExpected() =>
        Assert.Equal("p.yaml: line 1, column 1: expected a mapping with roles, timeWindows and rules, found a list",
            Assert.Single(PolicyDocumentReader.Read("- a", "p.yaml").Errors).ToString());
}
