using Proctor.Policy.Conditions;

namespace Proctor.Policy.Building;

/// <summary>What the host tells the builder beyond the document.</summary>
public sealed class PolicyBuildSettings
{
    /// <summary>Roles the host grants callers (e.g. <c>auditor</c>, <c>admin</c>) that rules may name without defining.</summary>
    public IReadOnlyCollection<string> HostRoles { get; init; } = [];

    /// <summary>Evaluation units one condition may spend (see docs/policy.md, "Cost limit").</summary>
    public int ConditionBudget { get; init; } = CelBudget.Default;
}
