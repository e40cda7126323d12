using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Proctor.Policy.Decisions;

namespace Proctor.Policy.Tests.Decisions;

/// <summary>One generated rule, kept beside the YAML so properties can reason about it.</summary>
public sealed record RuleSpec(string Id, string Effect, string Subjects, string Servers, string? Tools, string? Condition, string? Require, string? Window)
{
    public bool ConditionReadsArgs => Condition?.Contains("args", StringComparison.Ordinal) == true;

    public string Yaml()
    {
        var text = new StringBuilder($"  - id: {Id}\n    effect: {Effect}\n    subjects: {Subjects}\n    targets: {{ servers: {Servers}{(Tools is null ? "" : ", tools: " + Tools)} }}\n");
        if (Condition is not null)
        {
            text.Append($"    condition: \"{Condition}\"\n");
        }

        if (Require is not null)
        {
            text.Append($"    require: {Require}\n");
        }

        if (Window is not null)
        {
            text.Append($"    {Window}: w\n");
        }

        return text.ToString();
    }
}

/// <summary>A generated policy, a caller, a target, several argument sets and an instant.</summary>
public sealed record Scenario(RuleSpec[] Rules, PolicyCaller Caller, string Server, string Tool, string[] ArgumentSets, DateTimeOffset At)
{
    public string Yaml => "timeWindows: { w: { timeZone: UTC, days: [mon-fri], hours: \"09:00-17:00\" } }\nrules:\n" + string.Concat(Rules.Select(r => r.Yaml()));

    private PolicyModel? _model;

    public PolicyModel Model => _model ??= Policies.Build(Yaml);

    public PolicyRequest Request(string tool, string args) => new(Caller, PolicyTarget.Tool(Server, tool), JsonNode.Parse(args), At);

    public override string ToString() =>
        $"{Yaml}\ncaller: {Caller.Subject} groups=[{string.Join(",", Caller.Groups)}] amr=[{string.Join(",", Caller.AuthenticationMethods)}] agentKey={Caller.AgentKey}\n"
        + $"target: {Server}/{Tool} at {At:O}\nargs: {string.Join(" | ", ArgumentSets)}";
}

/// <summary>Generators for the invariant properties: small vocabularies, so that rules, callers and targets often meet.</summary>
public static class PolicyScenarios
{
    public static readonly string[] Tools = ["search_customers", "run_sql", "transfer_funds", "get_customer", "get_balance", "Transfer_Funds"];

    private static readonly string[] ArgsConditions = ["args.amount > 100", "has(args.memo)", "args.memo.startsWith('x')", "has(args.amount) && args.amount <= 50", "size(args) > 1"];

    private static readonly string[] CallerConditions = ["caller.mfa", "'supervisors' in caller.groups", "target.name.startsWith('get_')", "caller.subject == 'alice'", "caller.groups.exists(g, g.startsWith('o'))"];

    private static readonly string[] Patterns = ["search_customers", "run_sql", "transfer_funds", "get_customer", "get_*", "*", "*_funds", "TRANSFER_*", "run_?ql"];

    private static readonly DateTimeOffset[] Instants =
    [
        new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero), // Wednesday, inside w
        new(2026, 3, 4, 20, 0, 0, TimeSpan.Zero), // Wednesday evening
        new(2026, 3, 7, 12, 0, 0, TimeSpan.Zero), // Saturday
    ];

    private static Gen<string> List(string[] items) => Gen.SubListOf(items).Where(l => l.Count > 0).Select(l => "[" + string.Join(", ", l.Select(i => "\"" + i + "\"")) + "]");

    private static Gen<string?> Maybe(Gen<string> gen, int weightOfNone) =>
        Gen.Frequency((weightOfNone, Gen.Constant<string?>(null)), (1, gen.Select(s => (string?)s)));

    private static Gen<RuleSpec> Rule(int index) =>
        from effect in Gen.Frequency((3, Gen.Constant("allow")), (2, Gen.Constant("deny")), (1, Gen.Constant("approve")))
        from subjects in Gen.OneOf(
            Gen.Constant("{ everyone: true }"),
            List(["analysts", "supervisors", "ops"]).Select(g => "{ groups: " + g + " }"),
            Gen.Constant("{ users: [alice] }"),
            Gen.Constant("{ agentKeys: [\"*\"] }"))
        from servers in Gen.Elements("[bank]", "[crm]", "[\"*\"]", "[bank, crm]")
        from tools in Maybe(List(Patterns), 1)
        from condition in Maybe(Gen.Elements(ArgsConditions.Concat(CallerConditions).ToArray()), 2)
        from require in effect == "deny" ? Gen.Constant<string?>(null) : Maybe(Gen.Constant("{ mfa: true }"), 4)
        from window in Maybe(Gen.Elements("during", "outside"), 4)
        select new RuleSpec("r" + index, effect, subjects, servers, tools, condition, require, window);

    private static Gen<PolicyCaller> Caller() =>
        from subject in Gen.Elements("alice", "bob", "carol")
        from groups in Gen.SubListOf(["analysts", "supervisors", "ops"])
        from amr in Gen.Elements<string[]>(["pwd"], ["pwd", "otp"], [])
        from agent in Gen.Elements(false, false, true)
        select agent
            ? new PolicyCaller("agent:bot") { Method = "agent-key", AgentKey = "bot", Groups = [.. groups] }
            : new PolicyCaller(subject) { Groups = [.. groups], AuthenticationMethods = amr };

    private static Gen<string> Arguments() =>
        from amount in Gen.Elements<string?>(null, "5", "50", "500", "5000.5", "\"x\"")
        from memo in Gen.Elements<string?>(null, "\"xyz\"", "\"abc\"", "7")
        select "{" + string.Join(", ", new[] { amount is null ? null : "\"amount\": " + amount, memo is null ? null : "\"memo\": " + memo }.Where(p => p is not null)) + "}";

    public static Arbitrary<Scenario> Scenarios() => (
        from count in Gen.Choose(0, 8)
        from rules in Gen.CollectToArray(Enumerable.Range(0, count), Rule)
        from caller in Caller()
        from server in Gen.Elements("bank", "crm")
        from tool in Gen.Elements(Tools)
        from args in Gen.ArrayOf(Arguments(), 3)
        from at in Gen.Elements(Instants)
        select new Scenario([.. rules], caller, server, tool, args, at)).ToArbitrary();

    /// <summary>Names an upstream might still resolve to <paramref name="name"/>: other case, fullwidth letters, invisible characters, long s, ligatures.</summary>
    public static IEnumerable<string> Variants(string name)
    {
        yield return name.ToUpperInvariant();
        yield return char.ToUpperInvariant(name[0]) + name[1..];
        yield return string.Concat(name.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c));
        yield return name.Insert(1, "\u200B");
        yield return name + "\u00AD";
        yield return name.Replace('s', '\u017F');
        yield return name.Replace('i', '\u0131');
        yield return name.Replace("fi", "\uFB01", StringComparison.Ordinal);
        yield return "\uFEFF" + name;
    }
}
