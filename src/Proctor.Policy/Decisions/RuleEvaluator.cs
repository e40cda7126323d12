using Proctor.Policy.Conditions;
using Proctor.Policy.Rules;

namespace Proctor.Policy.Decisions;

/// <summary>
/// Whether one rule applies to a request whose target it covers: subjects, then time, then token
/// requirements, then the condition. Decide, Explain and the visibility query all ask this, so
/// they cannot disagree about a rule.
/// </summary>
internal static class RuleEvaluator
{
    public static RuleOutcome Evaluate(CompiledRule rule, in PolicyRequest request, RoleBook roles, int budget, out string? conditionError, out RequirementFailure failure)
    {
        conditionError = null;
        failure = RequirementFailure.None;
        if (!rule.Subjects.Matches(request.Caller))
        {
            return RuleOutcome.SubjectNotMatched;
        }

        if (!rule.AppliesAt(request.At))
        {
            return RuleOutcome.OutsideTimeWindow;
        }

        if (rule.Requirements is { } requirements)
        {
            failure = requirements.Check(request.Caller, request.At);
            if (failure != RequirementFailure.None)
            {
                return RuleOutcome.RequirementNotMet;
            }
        }

        return rule.Condition is null ? RuleOutcome.Matched : Condition(rule.Condition, request, roles, budget, out conditionError);
    }

    public static RuleOutcome Condition(CelCondition condition, in PolicyRequest request, RoleBook roles, int budget, out string? conditionError)
    {
        conditionError = null;
        var value = condition.Evaluate(request, roles, budget);
        if (value.Kind == CelKind.Bool)
        {
            return value.AsBool ? RuleOutcome.Matched : RuleOutcome.ConditionFalse;
        }

        conditionError = value.IsError ? value.ErrorMessage : $"the condition gave {value.TypeName}, not true or false";
        return RuleOutcome.ConditionError;
    }
}
