namespace Proctor.Policy.Decisions;

/// <summary>
/// The answer to one <see cref="PolicyRequest"/>. <see cref="RuleId"/> and <see cref="PolicyHash"/>
/// are evidence: every ledger record of the call names them. <see cref="Message"/> and
/// <see cref="Link"/> are for the caller. A decision made by a rule is built once when the policy
/// loads and shared by every call it decides.
/// </summary>
public sealed class PolicyDecision
{
    /// <summary>The <see cref="RuleId"/> of a decision no rule made.</summary>
    public const string DefaultDenyRuleId = "default-deny";

    internal PolicyDecision(PolicyEffect effect, string ruleId, int ruleIndex, string policyHash, string reasonCode, string message)
    {
        Effect = effect;
        RuleId = ruleId;
        RuleIndex = ruleIndex;
        PolicyHash = policyHash;
        ReasonCode = reasonCode;
        Message = message;
    }

    public PolicyEffect Effect { get; }

    public bool IsAllowed => Effect == PolicyEffect.Allow;

    /// <summary>The deciding rule's id, or <see cref="DefaultDenyRuleId"/>.</summary>
    public string RuleId { get; }

    /// <summary>The deciding rule's 0-based position in the document; -1 when no rule decided.</summary>
    public int RuleIndex { get; }

    /// <summary>The hash of the policy in force, as the host computed it when the policy loaded.</summary>
    public string PolicyHash { get; }

    /// <summary>A <see cref="PolicyReasonCodes"/> value.</summary>
    public string ReasonCode { get; }

    /// <summary>What the caller is told: the rule's message, or what happened and what to do.</summary>
    public string Message { get; }

    /// <summary>The rule's link (how to ask for access), if it has one.</summary>
    public string? Link { get; init; }

    /// <summary>For <see cref="PolicyReasonCodes.InsufficientScope"/>: the scopes of the rule that would allow the call (the 403 challenge names these).</summary>
    public IReadOnlyList<string> RequiredScopes { get; init; } = [];

    /// <summary>For <see cref="PolicyEffect.Approve"/>: who must approve.</summary>
    public ApprovalRequirement? Approval { get; init; }

    public override string ToString() => $"{Effect.ToString().ToLowerInvariant()} by {RuleId} ({ReasonCode})";
}

/// <summary>Who may approve a held call: members of <see cref="Approvers"/> (never the requester), <see cref="MinApprovals"/> distinct people.</summary>
public sealed record ApprovalRequirement(IReadOnlyList<string> Approvers, int MinApprovals);
