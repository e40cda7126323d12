using System.Text.Json.Nodes;

namespace Proctor.Policy.Decisions;

/// <summary>Why a rule did or did not apply to a request.</summary>
public enum RuleOutcome
{
    /// <summary>Subjects, target, time, requirements and condition all held.</summary>
    Matched,
    TargetNotMatched,
    SubjectNotMatched,
    OutsideTimeWindow,
    RequirementNotMet,
    ConditionFalse,

    /// <summary>The condition could not be evaluated; this denies the call (fail closed).</summary>
    ConditionError,
}

/// <summary>One rule's part in a decision.</summary>
public sealed record RuleTrace(int Index, string Id, PolicyEffect Effect, RuleOutcome Outcome, string Detail);

/// <summary>
/// A decision with its reasons: every rule of the policy in document order, with whether it matched
/// and, if not, why (for <c>proctor policy check</c>). Slower than a bare decision; not for the hot path.
/// </summary>
public sealed record PolicyExplanation(PolicyDecision Decision, IReadOnlyList<RuleTrace> Rules)
{
    /// <summary>The rules that matched, in document order.</summary>
    public IEnumerable<RuleTrace> Matched => Rules.Where(r => r.Outcome == RuleOutcome.Matched);

    /// <summary>The explanation as JSON, for <c>--json</c> output.</summary>
    public JsonObject ToJson()
    {
        var rules = new JsonArray();
        foreach (var rule in Rules)
        {
            rules.Add(new JsonObject
            {
                ["index"] = rule.Index,
                ["id"] = rule.Id,
                ["effect"] = Name(rule.Effect),
                ["outcome"] = OutcomeName(rule.Outcome),
                ["detail"] = rule.Detail,
            });
        }

        var decision = new JsonObject
        {
            ["effect"] = Name(Decision.Effect),
            ["rule"] = Decision.RuleId,
            ["reason"] = Decision.ReasonCode,
            ["message"] = Decision.Message,
            ["policyHash"] = Decision.PolicyHash,
        };
        if (Decision.Link is not null)
        {
            decision["link"] = Decision.Link;
        }

        if (Decision.RequiredScopes.Count > 0)
        {
            decision["requiredScopes"] = new JsonArray([.. Decision.RequiredScopes.Select(s => JsonValue.Create(s))]);
        }

        return new JsonObject { ["decision"] = decision, ["rules"] = rules };
    }

    public static string Name(PolicyEffect effect) => effect switch
    {
        PolicyEffect.Allow => "allow",
        PolicyEffect.Approve => "approve",
        PolicyEffect.Grant => "grant",
        _ => "deny",
    };

    public static string OutcomeName(RuleOutcome outcome) => outcome switch
    {
        RuleOutcome.Matched => "matched",
        RuleOutcome.TargetNotMatched => "target",
        RuleOutcome.SubjectNotMatched => "subject",
        RuleOutcome.OutsideTimeWindow => "time",
        RuleOutcome.RequirementNotMet => "requirement",
        RuleOutcome.ConditionFalse => "condition-false",
        _ => "condition-error",
    };
}
