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

        return rule.Condition is null ? RuleOutcome.Matched : Condition(rule, request, roles, budget, out conditionError);
    }

    /// <summary>
    /// The rule's condition. A deny rule's condition sees the folded server and name, as its targets
    /// do (<see cref="NameFold"/>): <c>target.name.startsWith('get_')</c> in a deny rule also holds for
    /// <c>GET_balance</c>, so a case variant cannot step around it.
    /// </summary>
    public static RuleOutcome Condition(CompiledRule rule, in PolicyRequest request, RoleBook roles, int budget, out string? conditionError)
    {
        conditionError = null;
        var target = request.Target;
        var value = rule.FoldsNames
            ? rule.Condition!.Evaluate(request with { Target = target with { Server = NameFold.Fold(target.Server), Name = NameFold.Fold(target.Name) } }, roles, budget)
            : rule.Condition!.Evaluate(request, roles, budget);
        if (value.Kind == CelKind.Bool)
        {
            return value.AsBool ? RuleOutcome.Matched : RuleOutcome.ConditionFalse;
        }

        conditionError = value.IsError ? value.ErrorMessage : $"the condition gave {value.TypeName}, not true or false";
        return RuleOutcome.ConditionError;
    }
}
