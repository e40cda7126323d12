using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Desk;

/// <summary>What a held call brings to a new request: its binding, who may approve, and the masked copies approvers read.</summary>
public sealed record ApprovalDraft(CallBinding Binding, string Requester, IReadOnlyList<string> ApproverGroups, int MinApprovals, string MaskedArguments)
{
    public string? Justification { get; init; }

    public string? Reason { get; init; }
}

/// <summary>An approver's approval or denial as it ended: the request after it, or why it was refused.</summary>
public sealed record ApprovalDecision(ApprovalRequest? Request, Rules.ApprovalRefusal? Refusal)
{
    public bool Succeeded => Request is not null;
}
