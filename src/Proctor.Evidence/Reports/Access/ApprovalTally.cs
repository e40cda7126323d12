using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports.Access;

/// <summary>
/// Per-call approvals (approval.* events) by approval id: who asked, who approved or denied, whether it expired or was
/// used and by which call. An approver equal to the requester is flagged: the desk refuses it, so a flag is a finding.
/// </summary>
internal sealed class ApprovalTally
{
    private readonly Dictionary<string, ApprovalSeen> _approvals = new(StringComparer.Ordinal);

    public void Observe(LedgerEvent ledgerEvent)
    {
        if (!ledgerEvent.Kind.StartsWith("approval.", StringComparison.Ordinal)
            || EventDetails.Text(ledgerEvent.Details, "approval_id") is not { } id)
        {
            return;
        }

        if (!_approvals.TryGetValue(id, out var approval))
        {
            approval = new ApprovalSeen(id);
            _approvals.Add(id, approval);
        }

        approval.Add(ledgerEvent);
    }

    public IReadOnlyList<ApprovalSeen> Approvals => [.. _approvals.Values.OrderBy(approval => approval.FirstEventAt)];
}

internal sealed class ApprovalSeen(string id)
{
    public string Id { get; } = id;
    public DateTimeOffset FirstEventAt { get; private set; } = DateTimeOffset.MaxValue;
    public string? Server { get; private set; }
    public string? Tool { get; private set; }
    public string? Rule { get; private set; }
    public string? PolicyHash { get; private set; }
    public string? Requester { get; private set; }
    public DateTimeOffset? RequestedAt { get; private set; }
    public List<Vote> Approvers { get; } = [];
    public Vote? DeniedBy { get; private set; }
    public DateTimeOffset? ExpiredAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public string? UsedByCall { get; private set; }
    public string? State { get; private set; }

    /// <summary>True when anyone who approved is the requester (checked on subject, as the desk checks it).</summary>
    public bool ApproverIsRequester => Requester is not null && Approvers.Any(vote => vote.Subject == Requester);

    public void Add(LedgerEvent e)
    {
        FirstEventAt = e.Time < FirstEventAt ? e.Time : FirstEventAt;
        Server ??= e.Location?.Server;
        Tool ??= e.Action?.Name;
        Rule ??= e.Decision?.Rule;
        PolicyHash ??= e.Decision?.PolicyHash;
        Requester ??= EventDetails.Text(e.Details, "requester");
        State = e.Outcome?.Status ?? State;
        var actor = e.Actor?.Subject ?? "(unknown)";
        switch (e.Kind)
        {
            case EventKinds.ApprovalRequest:
                RequestedAt = e.Time;
                break;
            case EventKinds.ApprovalApprove:
                Approvers.Add(new Vote(actor, e.Time));
                break;
            case EventKinds.ApprovalDeny:
                DeniedBy = new Vote(actor, e.Time);
                break;
            case EventKinds.ApprovalExpire:
                ExpiredAt = e.Time;
                break;
            case EventKinds.ApprovalUse:
                UsedAt = e.Time;
                UsedByCall = e.CallId;
                break;
        }
    }
}

public sealed record Vote(string Subject, DateTimeOffset At);
