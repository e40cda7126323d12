namespace Proctor.Approvals.Grants;

/// <summary>
/// What someone asks for, once the policy has said which rule covers it (its approvers, its hash): the surfaces (CLI,
/// REST) resolve the scope against the policy, the desk checks the rest (<see cref="GrantRules.WhyNotRequest"/>).
/// </summary>
public sealed record GrantDraft(string Identity, string Holder, string Server, IReadOnlyList<string> Tools, TimeSpan Duration, string Reason)
{
    public string? Ticket { get; init; }

    public required string Rule { get; init; }

    public required string PolicyHash { get; init; }

    public required IReadOnlyList<string> ApproverGroups { get; init; }

    public required int MinApprovals { get; init; }
}

/// <summary>The longest grants: asked for, and taken by break-glass (configuration <c>access:</c>).</summary>
public sealed record GrantLimits(TimeSpan MaxDuration, TimeSpan BreakGlassMaxDuration, TimeSpan RequestValidity);

/// <summary>A change on the desk as it ended: the grant or review after it, or why it was refused.</summary>
public sealed record GrantOutcome(AccessGrant? Grant, Rules.ApprovalRefusal? Refusal, AccessReview? Review = null)
{
    public bool Succeeded => Refusal is null;
}
