using Proctor.Policy.Rules;

namespace Proctor.Policy.Decisions;

/// <summary>
/// Applies the precedence of docs/policy.md to the rules covering a target: a deny rule that applies
/// decides; otherwise a condition error denies; otherwise an approve rule, then a grant rule, then an allow
/// rule; otherwise the first requirement an allow, approve or grant rule missed is named; otherwise default deny.
/// Within each step the first rule in document order decides.
/// </summary>
internal sealed class DecisionEngine(CompiledRule[] rules, CandidateIndex index, RoleBook roles, string hash, int budget)
{
    public PolicyDecision Decide(in PolicyRequest request)
    {
        var candidates = index.For(request.Target);
        if (candidates.Disguised)
        {
            return DecisionMessages.NameRefused(hash, request.Target);
        }

        PolicyDecision? error = null;
        CompiledRule? approve = null;
        CompiledRule? grant = null;
        CompiledRule? allow = null;
        CompiledRule? missed = null;
        var missedBy = RequirementFailure.None;
        foreach (var rule in candidates.Rules)
        {
            var outcome = RuleEvaluator.Evaluate(rule, request, roles, budget, out var conditionError, out var failure);
            switch (outcome)
            {
                case RuleOutcome.Matched when rule.Effect == PolicyEffect.Deny:
                    return rule.Decision;
                case RuleOutcome.Matched when rule.Effect == PolicyEffect.Approve:
                    approve ??= rule;
                    break;
                case RuleOutcome.Matched when rule.Effect == PolicyEffect.Grant:
                    grant ??= rule;
                    break;
                case RuleOutcome.Matched:
                    allow ??= rule;
                    break;
                case RuleOutcome.ConditionError:
                    error ??= DecisionMessages.ConditionError(hash, rule, conditionError!);
                    break;
                case RuleOutcome.RequirementNotMet when missed is null:
                    missed = rule;
                    missedBy = failure;
                    break;
            }
        }

        return error ?? approve?.Decision ?? grant?.Decision ?? allow?.Decision
            ?? (missed is not null ? DecisionMessages.RequirementNotMet(hash, missed, missedBy, request) : DecisionMessages.DefaultDeny(hash, request.Target));
    }

    /// <summary>Every rule's outcome in document order, and the decision <see cref="Decide"/> makes.</summary>
    public PolicyExplanation Explain(in PolicyRequest request)
    {
        var traces = new RuleTrace[rules.Length];
        var foldedServer = NameFold.Fold(request.Target.Server);
        var foldedName = NameFold.Fold(request.Target.Name);
        var disguised = NameFold.IsDisguised(request.Target.Server) || NameFold.IsDisguised(request.Target.Name);
        var failures = new RequirementFailure[rules.Length];
        var errors = new string?[rules.Length];
        foreach (var rule in rules)
        {
            RuleOutcome outcome;
            if (!rule.TargetMatches(request.Target, foldedServer, foldedName))
            {
                outcome = RuleOutcome.TargetNotMatched;
            }
            else
            {
                outcome = RuleEvaluator.Evaluate(rule, request, roles, budget, out errors[rule.Index], out failures[rule.Index]);
            }

            traces[rule.Index] = new RuleTrace(rule.Index, rule.Id, rule.Effect, outcome, Detail(rule, outcome, failures[rule.Index], errors[rule.Index], request));
        }

        var decision = disguised ? DecisionMessages.NameRefused(hash, request.Target) : Resolve(traces, failures, errors, request);
        return new PolicyExplanation(decision, traces);
    }

    private PolicyDecision Resolve(RuleTrace[] traces, RequirementFailure[] failures, string?[] errors, in PolicyRequest request)
    {
        foreach (var trace in traces)
        {
            if (trace.Effect == PolicyEffect.Deny && trace.Outcome == RuleOutcome.Matched)
            {
                return rules[trace.Index].Decision;
            }
        }

        foreach (var effect in (ReadOnlySpan<PolicyEffect>)[PolicyEffect.Deny, PolicyEffect.Approve, PolicyEffect.Grant, PolicyEffect.Allow])
        {
            foreach (var trace in traces)
            {
                if (trace.Effect == effect && trace.Outcome == RuleOutcome.ConditionError)
                {
                    return DecisionMessages.ConditionError(hash, rules[trace.Index], errors[trace.Index]!);
                }
            }
        }

        foreach (var effect in (ReadOnlySpan<PolicyEffect>)[PolicyEffect.Approve, PolicyEffect.Grant, PolicyEffect.Allow])
        {
            foreach (var trace in traces)
            {
                if (trace.Effect == effect && trace.Outcome == RuleOutcome.Matched)
                {
                    return rules[trace.Index].Decision;
                }
            }
        }

        foreach (var effect in (ReadOnlySpan<PolicyEffect>)[PolicyEffect.Approve, PolicyEffect.Grant, PolicyEffect.Allow])
        {
            foreach (var trace in traces)
            {
                if (trace.Effect == effect && trace.Outcome == RuleOutcome.RequirementNotMet)
                {
                    return DecisionMessages.RequirementNotMet(hash, rules[trace.Index], failures[trace.Index], request);
                }
            }
        }

        return DecisionMessages.DefaultDeny(hash, request.Target);
    }

    private static string Detail(CompiledRule rule, RuleOutcome outcome, RequirementFailure failure, string? error, in PolicyRequest request) => outcome switch
    {
        RuleOutcome.Matched => rule.Condition is null ? "applies" : $"applies: condition {rule.Condition.Source} is true",
        RuleOutcome.TargetNotMatched => "covers other servers or names",
        RuleOutcome.SubjectNotMatched => $"is for other callers than '{request.Caller.Subject}'",
        RuleOutcome.OutsideTimeWindow => $"applies {(rule.OutsideWindow ? "outside" : "during")} time window {rule.Window!.Description}, not at {request.At:O}",
        RuleOutcome.RequirementNotMet => DecisionMessages.Requirement(rule, failure, request),
        RuleOutcome.ConditionFalse => $"condition {rule.Condition!.Source} is false",
        _ => $"condition {rule.Condition!.Source} failed: {error}",
    };

    /// <summary>
    /// Visible when no deny rule applies whatever the arguments, and some allow or approve rule could
    /// apply for some arguments. Token requirements are not asked (a tool that needs a step-up sign-in
    /// stays listed, and its call names what is missing). A condition that does not read the arguments
    /// is evaluated; an error counts against visibility on both sides. Hidden implies never callable.
    /// A grant rule counts as an allow rule when <paramref name="holdsGrant"/> (the caller holds an active
    /// grant for this target), and otherwise as a deny rule: without a grant the call is refused.
    /// </summary>
    /// <summary>The decision of the first grant rule whose targets cover <paramref name="target"/> and whose subjects include <paramref name="caller"/>: what the caller may ask a grant for, and who approves it.</summary>
    public PolicyDecision? GrantRuleFor(PolicyCaller caller, in PolicyTarget target)
    {
        var candidates = index.For(target);
        if (candidates.Disguised)
        {
            return null;
        }

        foreach (var rule in candidates.Rules)
        {
            if (rule.Effect == PolicyEffect.Grant && rule.Subjects.Matches(caller))
            {
                return rule.Decision;
            }
        }

        return null;
    }

    public bool IsVisible(PolicyCaller caller, in PolicyTarget target, DateTimeOffset at, bool holdsGrant = false)
    {
        var candidates = index.For(target);
        if (candidates.Disguised)
        {
            return false;
        }

        var request = new PolicyRequest(caller, target, null, at);
        var visible = false;
        foreach (var rule in candidates.Rules)
        {
            if (!rule.Subjects.Matches(caller) || !rule.AppliesAt(at))
            {
                continue;
            }

            var condition = rule.Condition;
            if (rule.Effect == PolicyEffect.Deny || (rule.Effect == PolicyEffect.Grant && !holdsGrant))
            {
                if (condition is null || (!condition.ReadsArgs && RuleEvaluator.Condition(rule, request, roles, budget, out _) != RuleOutcome.ConditionFalse))
                {
                    return false;
                }
            }
            else if (!visible)
            {
                visible = condition is null || condition.ReadsArgs || RuleEvaluator.Condition(rule, request, roles, budget, out _) == RuleOutcome.Matched;
            }
        }

        return visible;
    }
}
