using System.Collections.Frozen;
using System.Text.Json.Nodes;
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
    private readonly FrozenDictionary<string, SourceLocation> _locations;

    internal PolicyModel(CompiledRule[] rules, RoleBook roles, string hash, int conditionBudget, FrozenDictionary<string, SourceLocation> locations)
    {
        _rules = rules;
        _locations = locations;
        Hash = hash;
        _engine = new DecisionEngine(rules, new CandidateIndex(rules), roles, hash, conditionBudget);
    }

    /// <summary>The hash the host computed over the canonical form; every decision carries it.</summary>
    public string Hash { get; }

    public int RuleCount => _rules.Length;

    /// <summary>The decision for one request: default deny, deny over approve over allow, condition errors deny.</summary>
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
    /// Fields a condition reads by name (<c>args.amount</c>) that a tool it covers does not declare in
    /// its <c>inputSchema</c>, for one upstream whose tools the host has listed
    /// (<paramref name="inputSchemas"/>: tool name → schema). A schema without <c>properties</c> at some
    /// level declares nothing to check against, so reads below it are not reported.
    /// </summary>
    public IReadOnlyList<PolicyError> CheckInputSchemas(string server, IReadOnlyDictionary<string, JsonNode?> inputSchemas)
    {
        var errors = new List<PolicyError>();
        foreach (var rule in _rules)
        {
            if (rule.Condition is not { ReadsArgs: true } condition || !rule.Targets.MatchesServer(rule.FoldsNames ? NameFold.Fold(server) : server))
            {
                continue;
            }

            foreach (var (tool, schema) in inputSchemas.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                var target = PolicyTarget.Tool(server, tool);
                if (!rule.TargetMatches(target, NameFold.Fold(server), NameFold.Fold(tool)))
                {
                    continue;
                }

                foreach (var path in condition.ArgumentPaths)
                {
                    if (Undeclared(schema, path.Segments) is { } missing)
                    {
                        errors.Add(RuleError(rule, "condition",
                            $"reads {path}, but tool '{tool}' on server '{server}' declares no '{missing.Field}' in its inputSchema"
                            + (missing.Declared.Count == 0 ? "" : $" (it declares: {string.Join(", ", missing.Declared)})")));
                    }
                }
            }
        }

        return errors;
    }

    private static (string Field, List<string> Declared)? Undeclared(JsonNode? schema, IReadOnlyList<string> segments)
    {
        var at = schema;
        foreach (var segment in segments)
        {
            if (at is not JsonObject node || node["properties"] is not JsonObject properties)
            {
                return null;
            }

            if (!properties.TryGetPropertyValue(segment, out at))
            {
                return (segment, [.. properties.Select(p => p.Key)]);
            }
        }

        return null;
    }

    private PolicyError RuleError(CompiledRule rule, string field, string message)
    {
        var path = $"rules[{rule.Index}].{field}";
        _locations.TryGetValue(path, out var location);
        var found = _locations.ContainsKey(path) || _locations.TryGetValue($"rules[{rule.Index}]", out location);
        return new PolicyError(path, message) { RuleIndex = rule.Index, RuleId = rule.Id, Field = field, Location = found ? location : null };
    }
}
