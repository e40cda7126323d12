using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Proctor.Policy.Conditions.Checking;
using Proctor.Policy.Decisions;
using Proctor.Policy.Options;
using Proctor.Policy.Rules;

namespace Proctor.Policy;

/// <summary>
/// A validated, immutable policy (built by <see cref="Building.PolicyBuilder"/>): answers
/// <see cref="Decide"/> on the hot path, <see cref="IsVisible"/> for list filtering (hidden ⇒ never
/// callable), and <see cref="Explain"/> for people. Safe to share between threads; a reload builds
/// a new model and the host swaps it in atomically.
/// </summary>
public sealed class PolicyModel
{
    private readonly CompiledRule[] _rules;
    private readonly DecisionEngine _engine;
    private readonly CandidateIndex _index;
    private readonly FrozenDictionary<string, SourceLocation> _locations;

    internal PolicyModel(CompiledRule[] rules, RoleBook roles, string hash, int conditionBudget, FrozenDictionary<string, SourceLocation> locations)
    {
        _rules = rules;
        _locations = locations;
        Hash = hash;
        _index = new CandidateIndex(rules);
        _engine = new DecisionEngine(rules, _index, roles, hash, conditionBudget);
    }

    /// <summary>The hash the host computed over the canonical form; every decision carries it.</summary>
    public string Hash { get; }

    public int RuleCount => _rules.Length;

    /// <summary>The decision for one request: default deny, deny over approve over grant over allow, condition errors deny.</summary>
    public PolicyDecision Decide(in PolicyRequest request) => _engine.Decide(request);

    /// <summary>The same decision as <see cref="Decide"/>, with every rule's outcome and why.</summary>
    public PolicyExplanation Explain(in PolicyRequest request) => _engine.Explain(request);

    /// <summary>
    /// Whether <paramref name="target"/> appears in <paramref name="caller"/>'s lists at <paramref name="at"/>:
    /// some allow or approve rule could apply for some arguments, and no deny rule applies whatever they are.
    /// A target this returns false for is refused by <see cref="Decide"/> for any arguments.
    /// </summary>
    public bool IsVisible(PolicyCaller caller, PolicyTarget target, DateTimeOffset at) => _engine.IsVisible(caller, target, at);

    /// <summary>
    /// <see cref="IsVisible(PolicyCaller, PolicyTarget, DateTimeOffset)"/> for a caller who does (<paramref name="holdsGrant"/>)
    /// or does not hold an active grant for <paramref name="target"/>: a grant rule then counts as allow, else as deny.
    /// </summary>
    public bool IsVisible(PolicyCaller caller, PolicyTarget target, DateTimeOffset at, bool holdsGrant) => _engine.IsVisible(caller, target, at, holdsGrant);

    /// <summary>
    /// The grant rule that lets <paramref name="caller"/> ask for a just-in-time grant to <paramref name="target"/>
    /// (its approvers, its id and the policy hash), or null when no grant rule covers both. Time windows and
    /// conditions are not asked here: they still apply to each call made under the grant.
    /// </summary>
    public PolicyDecision? GrantRuleFor(PolicyCaller caller, PolicyTarget target) => _engine.GrantRuleFor(caller, target);

    /// <summary>
    /// Server patterns that match none of <paramref name="servers"/> (the configured upstreams): likely
    /// a typo that leaves a rule without effect. The host decides whether that stops a load.
    /// </summary>
    public IReadOnlyList<PolicyError> CheckServers(IReadOnlyCollection<string> servers)
    {
        var errors = new List<PolicyError>();
        foreach (var rule in _rules)
        {
            for (var i = 0; i < rule.Targets.Servers.Length; i++)
            {
                var glob = rule.Targets.Servers[i];
                if (servers.Any(s => glob.Matches(glob.Folded ? NameFold.Fold(s) : s)))
                {
                    continue;
                }

                var configured = servers.Count == 0 ? "none" : string.Join(", ", servers.Order(StringComparer.Ordinal));
                errors.Add(RuleError(rule, $"targets.servers[{i}]",
                    $"\"{glob.Pattern}\" matches no configured server (configured: {configured})" + Suggestions.DidYouMean(glob.Pattern, servers)));
            }
        }

        return errors;
    }

    /// <summary>
    /// Fields a condition reads by name (<c>args.amount</c>, <c>args['memo']</c>, <c>has(args.a.b)</c>,
    /// <c>'memo' in args</c>) that a tool it covers does not declare in its <c>inputSchema</c>, for one
    /// upstream whose tools the host has listed (<paramref name="inputSchemas"/>: tool name → schema).
    /// </summary>
    public IReadOnlyList<PolicyError> CheckInputSchemas(string server, IReadOnlyDictionary<string, JsonNode?> inputSchemas)
    {
        var errors = new List<PolicyError>();
        foreach (var (tool, schema) in inputSchemas.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            errors.AddRange(CheckInputSchema(server, tool, schema));
        }

        return errors;
    }

    /// <summary>
    /// The same check for one listed tool (decision 0036), cheap enough to run on every <c>tools/list</c> answer: one
    /// cached lookup of the rules covering the tool, then each field they read checked once (none: nothing more);
    /// rule by rule only when one is undeclared.
    /// A level of the schema that declares no <c>properties</c>, admits other fields (<c>additionalProperties</c>
    /// true or a schema, <c>patternProperties</c>) or is composed (<c>allOf</c>, <c>anyOf</c>, <c>oneOf</c>,
    /// <c>$ref</c>, …) cannot say a field is absent, so reads at or below it are not reported.
    /// </summary>
    public IReadOnlyList<PolicyError> CheckInputSchema(string server, string tool, JsonNode? inputSchema)
    {
        var candidates = _index.For(PolicyTarget.Tool(server, tool));
        if (!AnyUndeclared(candidates.ArgumentFields, inputSchema))
        {
            return [];
        }

        List<PolicyError>? errors = null;
        foreach (var rule in candidates.Rules)
        {
            if (rule.Condition is not { } condition)
            {
                continue;
            }

            foreach (var path in condition.ArgumentPaths)
            {
                if (InputSchemaFields.Undeclared(inputSchema, path.Segments) is { } missing)
                {
                    (errors ??= []).Add(RuleError(rule, "condition",
                        $"reads {path}, but tool '{tool}' on server '{server}' declares no '{missing.Field}' in its inputSchema"
                        + InputSchemaFields.DescribeDeclared(missing.Field, missing.Declared)));
                }
            }
        }

        if (errors is null)
        {
            return [];
        }

        errors.Sort(static (a, b) => a.RuleIndex!.Value.CompareTo(b.RuleIndex!.Value));
        return errors;
    }

    private static bool AnyUndeclared(ArgumentPath[] paths, JsonNode? inputSchema)
    {
        foreach (var path in paths)
        {
            if (InputSchemaFields.Undeclared(inputSchema, path.Segments) is not null)
            {
                return true;
            }
        }

        return false;
    }

    private PolicyError RuleError(CompiledRule rule, string field, string message)
    {
        var path = $"rules[{rule.Index}].{field}";
        _locations.TryGetValue(path, out var location);
        var found = _locations.ContainsKey(path) || _locations.TryGetValue($"rules[{rule.Index}]", out location);
        return new PolicyError(path, message) { RuleIndex = rule.Index, RuleId = rule.Id, Field = field, Location = found ? location : null };
    }
}
