using Proctor.Policy.Conditions;
using Proctor.Policy.Decisions;

namespace Proctor.Policy.Rules;

/// <summary>
/// One validated rule, ready to evaluate: matchers built, condition compiled, and the decision it
/// makes built once (so a call it decides allocates nothing for its answer).
/// </summary>
internal sealed class CompiledRule
{
    public required int Index { get; init; }

    public required string Id { get; init; }

    public required PolicyEffect Effect { get; init; }

    public required SubjectSet Subjects { get; init; }

    public required TargetMatcher Targets { get; init; }

    public TimeWindow? Window { get; init; }

    /// <summary>True for <c>outside:</c>: the rule applies when the window does not contain the instant.</summary>
    public bool OutsideWindow { get; init; }

    public Requirements? Requirements { get; init; }

    public CelCondition? Condition { get; init; }

    public string? Message { get; init; }

    public string? Link { get; init; }

    public ApprovalRequirement? Approval { get; init; }

    /// <summary>The decision this rule makes when it decides.</summary>
    public required PolicyDecision Decision { get; init; }

    /// <summary>Whether names are compared folded (deny rules; see <see cref="NameFold"/>).</summary>
    public bool FoldsNames => Effect == PolicyEffect.Deny;

    public bool AppliesAt(DateTimeOffset at) => Window is null || Window.Contains(at) != OutsideWindow;

    public bool TargetMatches(in PolicyTarget target, string foldedServer, string foldedName) =>
        FoldsNames ? Targets.Matches(foldedServer, target.Kind, foldedName) : Targets.Matches(target.Server, target.Kind, target.Name);

    public string Describe() => $"rules[{Index}] ({Id})";
}
