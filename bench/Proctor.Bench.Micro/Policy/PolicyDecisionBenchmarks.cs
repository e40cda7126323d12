using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Proctor.Policy;
using Proctor.Policy.Building;
using Proctor.Policy.Conditions;
using Proctor.Policy.Conditions.Checking;
using Proctor.Policy.Decisions;
using Proctor.Policy.Documents;
using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Bench.Micro.Policy;

/// <summary>
/// One policy decision against a 1,000-rule policy with argument conditions (issue 11 goal: ≤ 5 µs
/// p50; anchors: Cedar 4–11 µs, OPA ~10 µs, precompiled CEL ~0.5 µs per expression). The policy has
/// 20 servers of 50 tools, one allow rule per tool with a CEL condition over the arguments, and per
/// server a deny rule for agent keys and an approve rule over every tool (globs), so each decision
/// weighs several candidate rules and their conditions. The arguments are parsed once, as the host
/// holds them; <see cref="DecideParsingArguments"/> adds parsing them from JSON text.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class PolicyDecisionBenchmarks
{
    private const int Servers = 20;
    internal const int ToolsPerServer = 48;
    internal const string Arguments = """{"amount": 2500, "account": "GL-1234", "memo": "rent March"}""";

    internal static readonly DateTimeOffset At = new(2026, 3, 4, 15, 0, 0, TimeSpan.Zero);

    private PolicyModel _model = null!;
    private PolicyOptions _options = null!;
    private PolicyRequest _allow;
    private PolicyRequest _approve;
    private PolicyRequest _deny;
    private PolicyCaller _analyst = null!;
    private CelCondition _condition = null!;
    private PolicyRequest _conditionRequest;

    [GlobalSetup]
    public void Setup()
    {
        var yaml = Yaml();
        var read = PolicyDocumentReader.Read(yaml, "bench.yaml");
        _options = read.Options;
        _model = PolicyBuilder.Build(_options, Hash).Model ?? throw new InvalidOperationException("the benchmark policy does not build");
        if (_model.RuleCount < 1000)
        {
            throw new InvalidOperationException($"the benchmark policy has {_model.RuleCount} rules, fewer than 1,000");
        }

        _analyst = new PolicyCaller("alice") { Groups = ["staff", "analysts-07"], AuthenticationMethods = ["pwd", "otp"], Scopes = ["bank.read"] };
        var target = PolicyTarget.Tool("server07", "tool_023");
        _allow = new PolicyRequest(_analyst, target, JsonNode.Parse(Arguments), At);
        _approve = _allow with { Arguments = JsonNode.Parse("""{"amount": 50000, "account": "GL-1234", "memo": "x"}""") };
        _deny = _allow with { Caller = new PolicyCaller("mallory") { Groups = ["visitors"] } };
        _condition = CelCompiler.Compile("args.amount > 10000 && args.account.startsWith('GL-')").Condition!;
        _conditionRequest = _allow;

        Expect(_model.Decide(_allow), "tool-07-023", PolicyEffect.Allow);
        Expect(_model.Decide(_approve), "server-07-large-amounts", PolicyEffect.Approve);
        Expect(_model.Decide(_deny), PolicyDecision.DefaultDenyRuleId, PolicyEffect.Deny);
    }

    [Benchmark(Baseline = true, Description = "Decide: allow (conditions true/false)")]
    public PolicyDecision DecideAllow() => _model.Decide(_allow);

    [Benchmark(Description = "Decide: approve")]
    public PolicyDecision DecideApprove() => _model.Decide(_approve);

    [Benchmark(Description = "Decide: default deny (message built)")]
    public PolicyDecision DecideDefaultDeny() => _model.Decide(_deny);

    [Benchmark(Description = "Decide: allow, parsing the arguments")]
    public PolicyDecision DecideParsingArguments() => _model.Decide(_allow with { Arguments = JsonNode.Parse(Arguments) });

    [Benchmark(Description = "IsVisible (tools/list, per tool)")]
    public bool Visible() => _model.IsVisible(_analyst, _allow.Target, At);

    [Benchmark(Description = "One CEL condition (2 comparisons)")]
    public bool Condition() => _condition.Evaluate(_conditionRequest, RoleBook.Empty, CelBudget.Default).AsBool;

    [Benchmark(Description = "Explain (1,000 rules traced)")]
    public PolicyExplanation Explain() => _model.Explain(_allow);

    [Benchmark(Description = "Build the 1,000-rule policy (load)")]
    public PolicyModel Build() => PolicyBuilder.Build(_options, Hash).Model!;

    private static void Expect(PolicyDecision decision, string rule, PolicyEffect effect)
    {
        if (decision.RuleId != rule || decision.Effect != effect)
        {
            throw new InvalidOperationException($"Benchmark setup: expected {effect} by {rule}, got {decision}");
        }
    }

    internal static string Hash(JsonObject canonical) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToJsonString())));

    /// <summary>The 1,000-rule policy (shared with <see cref="AuthorizeStageBenchmarks"/>).</summary>
    internal static string Yaml()
    {
        var yaml = new StringBuilder("rules:\n");
        for (var s = 0; s < Servers; s++)
        {
            yaml.Append($"""
                  - id: server-{s:D2}-agents-read-only
                    effect: deny
                    subjects: {"{"} agentKeys: ["*"] {"}"}
                    targets: {"{"} servers: [server{s:D2}] {"}"}
                    condition: "!target.name.startsWith('get_')"
                  - id: server-{s:D2}-large-amounts
                    effect: approve
                    subjects: {"{"} groups: [staff] {"}"}
                    targets: {"{"} servers: [server{s:D2}], tools: ["tool_*"] {"}"}
                    condition: "has(args.amount) && args.amount > 10000"
                    approval: {"{"} approvers: [supervisors] {"}"}

                """);
            for (var t = 0; t < ToolsPerServer; t++)
            {
                yaml.Append($"""
                      - id: tool-{s:D2}-{t:D3}
                        effect: allow
                        subjects: {"{"} groups: [analysts-{s:D2}, supervisors] {"}"}
                        targets: {"{"} servers: [server{s:D2}], tools: [tool_{t:D3}] {"}"}
                        condition: "args.amount <= {1000 * (t + 1)} && args.account.startsWith('GL-') && caller.groups.exists(g, g == 'staff')"

                    """);
            }
        }

        return yaml.ToString();
    }
}
