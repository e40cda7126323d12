namespace Proctor.Approvals.Requests;

/// <summary>
/// One request for approval of one call (<see cref="Binding"/>). Immutable: <see cref="Rules.ApprovalRules"/> computes
/// each next value, the store replaces the previous one only if nobody changed it meanwhile (<see cref="Version"/>).
/// Holds only masked values: <see cref="MaskedArguments"/> and <see cref="Justification"/> are what the ledger stores.
/// </summary>
public sealed record ApprovalRequest
{
    /// <summary>Time-ordered and unguessable (UUIDv7), so that ids sort by creation.</summary>
    public required string Id { get; init; }

    public required CallBinding Binding { get; init; }

    /// <summary>The requester's subject, as approvers read it; <see cref="CallBinding.Identity"/> is what is compared.</summary>
    public required string Requester { get; init; }

    /// <summary>Groups whose members may approve or deny (never the requester).</summary>
    public required IReadOnlyList<string> ApproverGroups { get; init; }

    /// <summary>How many distinct approvers it takes (M of N).</summary>
    public required int MinApprovals { get; init; }

    /// <summary>The call's arguments as JSON text, masked as the ledger stores them.</summary>
    public required string MaskedArguments { get; init; }

    /// <summary>Why the caller says it needs the call, masked; null when it gave none.</summary>
    public string? Justification { get; init; }

    /// <summary>The rule's message (why the policy asks for approval).</summary>
    public string? Reason { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The end of the validity window: it can be approved, and the approved call run, only before this instant.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>As stored; see <see cref="Rules.ApprovalRules.StateAt"/> for the state at an instant (a request past its expiry is expired).</summary>
    public ApprovalState State { get; init; } = ApprovalState.Pending;

    /// <summary>Approvals given, in order; each approver at most once.</summary>
    public IReadOnlyList<ApprovalVote> Approvals { get; init; } = [];

    /// <summary>Who denied it, when denied.</summary>
    public ApprovalVote? Denial { get; init; }

    /// <summary>When the approved call ran, and which call it was (its ledger call id).</summary>
    public DateTimeOffset? UsedAt { get; init; }

    public string? UsedByCall { get; init; }

    /// <summary>Set by the store: the request changed this many times.</summary>
    public long Version { get; init; }
}
