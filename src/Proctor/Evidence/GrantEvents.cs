using System.Text.Json;
using Proctor.Approvals.Grants;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Policy.Decisions;

namespace Proctor.Evidence;

/// <summary>
/// The <c>grant.*</c>, <c>breakglass.open</c> and <c>review.*</c> events (docs/ledger.md, decision 0041), each durably
/// committed before the desk stores the change it records. Every one carries the grant id, the scope (server and tools),
/// the holder, the rule and policy hash that made the scope grantable, and the state after it; review events the review id.
/// </summary>
internal sealed class GrantEvents(AuditLedger ledger, string gatewayNode, TimeProvider time) : IGrantRecorder
{
    public Task RecordAsync(GrantEvent grantEvent, CancellationToken cancellationToken)
    {
        var (kind, grant, actor, review) = (grantEvent.Kind, grantEvent.Grant, grantEvent.Actor, grantEvent.Review);
        var vote = kind switch
        {
            GrantEventKind.Approved => grant.Approvals[^1],
            GrantEventKind.Denied or GrantEventKind.Revoked => grant.Ending,
            GrantEventKind.ReviewClosed => review?.Closure,
            _ => null,
        };
        return ledger.AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = KindOf(kind),
            Time = time.GetUtcNow(),
            Actor = new EventActor
            {
                Subject = actor.Subject,
                Issuer = actor.Issuer,
                Groups = actor.Groups.Count == 0 ? null : actor.Groups,
                AuthMethod = actor.AuthMethod,
                SourceAddress = actor.SourceAddress,
            },
            Location = new EventLocation
            {
                Server = grant.Server,
                Transport = actor.Via == "gateway" ? null : actor.Via,
                GatewayNode = gatewayNode,
            },
            Outcome = new EventOutcome { Status = kind is GrantEventKind.ReviewOpened or GrantEventKind.ReviewClosed ? (review!.IsOpen ? "open" : "closed") : GrantStates.Name(grant.State), Summary = Summary(kind, grant) },
            Decision = new EventDecision { Effect = "grant", Rule = grant.Rule, PolicyHash = grant.PolicyHash, ReasonCode = PolicyReasonCodes.GrantRequired },
            Details = JsonSerializer.SerializeToElement(new
            {
                grant_id = grant.Id,
                review_id = review?.Id,
                holder = grant.Holder,
                tools = grant.Tools,
                duration_seconds = (long)grant.Duration.TotalSeconds,
                break_glass = grant.BreakGlass,
                reason = kind is GrantEventKind.Requested or GrantEventKind.BreakGlass ? grant.Reason : null,
                ticket = grant.Ticket,
                approver_groups = grant.ApproverGroups,
                min_approvals = grant.MinApprovals,
                approvals = grant.Approvals.Count,
                starts_at = grant.StartsAt,
                expires_at = grant.ExpiresAt,
                comment = vote?.Comment,
                via = actor.Via,
                @operator = actor.Operator,
            }),
        }, cancellationToken);
    }

    private static string Summary(GrantEventKind kind, AccessGrant grant) => kind switch
    {
        GrantEventKind.Requested => $"asks {grant.Duration} of {grant.Server}: {string.Join(", ", grant.Tools)}; needs {grant.MinApprovals} approval(s) from {string.Join(" or ", grant.ApproverGroups)}",
        GrantEventKind.Approved => grant.State == GrantState.Active ? $"active until {grant.ExpiresAt:O}" : $"{grant.Approvals.Count} of {grant.MinApprovals} approval(s)",
        GrantEventKind.Denied => $"denied by {grant.Ending!.Subject}",
        GrantEventKind.Revoked => $"revoked by {grant.Ending!.Subject}",
        GrantEventKind.Expired => grant.StartsAt is null ? "request lapsed undecided" : "time ran out",
        GrantEventKind.BreakGlass => $"break-glass: {grant.Server}: {string.Join(", ", grant.Tools)} until {grant.ExpiresAt:O}",
        GrantEventKind.ReviewOpened => $"review of break-glass grant {grant.Id} waits for {string.Join(" or ", grant.ApproverGroups)}",
        _ => $"review of break-glass grant {grant.Id} closed",
    };

    private static string KindOf(GrantEventKind kind) => kind switch
    {
        GrantEventKind.Requested => EventKinds.GrantRequest,
        GrantEventKind.Approved => EventKinds.GrantApprove,
        GrantEventKind.Denied => EventKinds.GrantDeny,
        GrantEventKind.Revoked => EventKinds.GrantRevoke,
        GrantEventKind.Expired => EventKinds.GrantExpire,
        GrantEventKind.BreakGlass => EventKinds.BreakGlassOpen,
        GrantEventKind.ReviewOpened => EventKinds.ReviewOpen,
        _ => EventKinds.ReviewClose,
    };
}
