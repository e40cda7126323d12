using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports.Access;

/// <summary>One grant as the period's events tell it: request, approvals, start and expiry, its end, its use, and for break-glass its review.</summary>
internal sealed class GrantSeen(string id)
{
    public string Id { get; } = id;
    public DateTimeOffset FirstEventAt { get; private set; } = DateTimeOffset.MaxValue;
    public string? Holder { get; private set; }
    public string? Server { get; private set; }
    public IReadOnlyList<string> Tools { get; private set; } = [];
    public string? Rule { get; private set; }
    public string? PolicyHash { get; private set; }
    public bool BreakGlass { get; private set; }
    public string? Reason { get; private set; }
    public string? RequestedBy { get; private set; }
    public DateTimeOffset? RequestedAt { get; private set; }
    public List<Vote> Approvers { get; } = [];
    public DateTimeOffset? StartsAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public string? EndedAs { get; private set; }
    public Vote? EndedBy { get; private set; }
    public string? State { get; private set; }
    public long Uses { get; set; }
    public string? ReviewId { get; private set; }
    public DateTimeOffset? ReviewOpenedAt { get; private set; }
    public Vote? ReviewClosedBy { get; private set; }

    /// <summary>True when the holder or the requester approved the grant, or closed its own break-glass review.</summary>
    public bool SelfApproved =>
        Approvers.Any(vote => vote.Subject == Holder || vote.Subject == RequestedBy)
        || (ReviewClosedBy is { } closer && (closer.Subject == Holder || closer.Subject == RequestedBy));

    public bool CoversAt(DateTimeOffset at) =>
        StartsAt is { } start && at >= start && (ExpiresAt is not { } end || at < end) && (EndedBy is not { } ended || at < ended.At);

    public void Add(LedgerEvent e)
    {
        FirstEventAt = e.Time < FirstEventAt ? e.Time : FirstEventAt;
        Holder ??= EventDetails.Text(e.Details, "holder");
        Server ??= e.Location?.Server;
        Tools = Tools.Count == 0 ? EventDetails.Texts(e.Details, "tools") : Tools;
        Rule ??= e.Decision?.Rule;
        PolicyHash ??= e.Decision?.PolicyHash;
        BreakGlass |= EventDetails.Flag(e.Details, "break_glass");
        Reason ??= EventDetails.Text(e.Details, "reason");
        StartsAt = EventDetails.Time(e.Details, "starts_at") ?? StartsAt;
        ExpiresAt = EventDetails.Time(e.Details, "expires_at") ?? ExpiresAt;
        ReviewId ??= EventDetails.Text(e.Details, "review_id");
        var actor = new Vote(e.Actor?.Subject ?? "(unknown)", e.Time);
        if (e.Kind is not (EventKinds.ReviewOpen or EventKinds.ReviewClose))
        {
            State = e.Outcome?.Status ?? State;
        }

        switch (e.Kind)
        {
            case EventKinds.GrantRequest or EventKinds.BreakGlassOpen:
                (RequestedBy, RequestedAt) = (actor.Subject, e.Time);
                break;
            case EventKinds.GrantApprove:
                Approvers.Add(actor);
                break;
            case EventKinds.GrantDeny or EventKinds.GrantRevoke:
                (EndedAs, EndedBy) = (e.Kind == EventKinds.GrantDeny ? "denied" : "revoked", actor);
                break;
            case EventKinds.GrantExpire:
                EndedAs = "expired";
                break;
            case EventKinds.ReviewOpen:
                ReviewOpenedAt = e.Time;
                break;
            case EventKinds.ReviewClose:
                ReviewClosedBy = actor;
                break;
        }
    }
}
