using Proctor.Policy.Building;
using Proctor.Policy.Decisions;

namespace Proctor.Policy.Tests.Building;

/// <summary>The canonical form the host hashes: same decisions written differently give the same form; any change that decides differently changes it.</summary>
public sealed class CanonicalPolicyTests
{
    private static string Canonical(string yaml) => Policies.Result(yaml).CanonicalForm!.ToJsonString();

    [Fact]
    public void Of_SetsInAnyOrderAndDescriptions_SameForm()
    {
        var a = Canonical("""
            timeWindows: { w: { timeZone: UTC, days: [mon-wed], hours: "09:00-17:00" } }
            rules: [{ id: r, description: one, effect: allow, subjects: { groups: [b, a, a] }, targets: { servers: [s], tools: [y, x] }, during: w, require: { maxAuthAge: 1h } }]
            """);
        var b = Canonical("""
            rules: [{ id: r, description: two, effect: allow, subjects: { groups: [a, b] }, targets: { tools: [x, y], servers: [s] }, during: w, require: { maxAuthAge: 60m } }]
            timeWindows: { w: { timeZone: UTC, days: [tue, mon, wed], hours: "09:00-17:00" } }
            """);

        Assert.Equal(a, b);
        Assert.Equal(
            """{"format":"proctor.policy/1","roles":{},"timeWindows":{"w":{"timeZone":"UTC","days":["mon","tue","wed"],"hours":"09:00-17:00"}},"rules":[{"id":"r","effect":"allow","subjects":{"users":[],"groups":["a","b"],"agentKeys":[],"roles":[]},"targets":{"servers":["s"],"tools":["x","y"]},"require":{"mfa":false,"amr":[],"acr":[],"scopes":[],"maxAuthAgeSeconds":3600},"during":"w"}]}""",
            a);
    }

    [Theory]
    [InlineData("effect: allow", "effect: deny")]
    [InlineData("groups: [a]", "groups: [a, c]")]
    [InlineData("tools: [x]", "tools: [\"x*\"]")]
    [InlineData("message: m", "message: n")]
    public void Of_ChangeThatMatters_DifferentForm(string from, string to)
    {
        const string Yaml = "rules: [{ id: r, effect: allow, subjects: { groups: [a] }, targets: { servers: [s], tools: [x] }, message: m }]";

        Assert.NotEqual(Canonical(Yaml), Canonical(Yaml.Replace(from, to, StringComparison.Ordinal)));
    }

    [Fact]
    public void Of_RuleOrder_Matters()
    {
        const string First = "{ id: a, effect: allow, subjects: { everyone: true }, targets: { servers: [s] } }";
        const string Second = "{ id: b, effect: allow, subjects: { everyone: true }, targets: { servers: [s] } }";

        Assert.NotEqual(Canonical($"rules: [{First}, {Second}]"), Canonical($"rules: [{Second}, {First}]"));
    }

    [Fact]
    public void Build_HashFunction_ReceivesTheCanonicalFormAndEveryDecisionCarriesIt()
    {
        var read = Proctor.Policy.Documents.PolicyDocumentReader.Read("rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [s] } }]", "p.yaml");
        string? seen = null;

        var result = PolicyBuilder.Build(read.Options, json => { seen = json.ToJsonString(); return "sha256:test"; });

        Assert.Equal(Canonical("rules: [{ id: r, effect: allow, subjects: { everyone: true }, targets: { servers: [s] } }]"), seen);
        Assert.Equal("sha256:test", result.Model!.Decide(PolicyCaller.Anonymous, "s", "t").PolicyHash);
        Assert.Equal("sha256:test", result.Model!.Decide(PolicyCaller.Anonymous, "other", "t").PolicyHash);
    }
}
