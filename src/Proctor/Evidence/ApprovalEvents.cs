using System.Text.Json;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Policy.Decisions;

namespace Proctor.Evidence;

/// <summary>
/// The <c>approval.*</c> events (docs/ledger.md, decision 0037), each durably committed before the desk acts on the
/// change it records. Every one carries the approval id, the call it is bound to (never the digest: decision 0037),
/// the decision that asked for it, and the state the request is in after it. A request and its use carry the caller's
/// session, so <c>proctor sessions replay</c> shows the hold and the run in the conversation.
/// </summary>
internal sealed class ApprovalEvents(AuditLedger ledger, string gatewayNode, TimeProvider time) : IApprovalRecorder
{
    public Task RecordAsync(ApprovalEvent approvalEvent, CancellationToken cancellationToken)
    {
        var (kind, request, actor) = (approvalEvent.Kind, approvalEvent.Request, approvalEvent.Actor);
        var vote = kind switch
        {
            ApprovalEventKind.Approved => request.Approvals[^1],
            ApprovalEventKind.Denied => request.Denial,
            _ => null,
        };
        return ledger.AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = KindOf(kind),
            Time = time.GetUtcNow(),
            CallId = approvalEvent.CallId,
            Actor = new EventActor
            {
                Subject = actor.Subject,
                Issuer = actor.Issuer,
                Groups = actor.Groups.Count == 0 ? null : actor.Groups,
                AuthMethod = actor.AuthMethod,
                Amr = actor.AuthenticationMethods.Count == 0 ? null : actor.AuthenticationMethods,
                SourceAddress = actor.SourceAddress,
            },
            Location = new EventLocation
            {
                Server = request.Binding.Server,
                Transport = actor.Via switch { "mcp" => "streamable-http", "gateway" => null, var via => via },
                ProtocolVersion = actor.ProtocolVersion,
                GatewayNode = gatewayNode,
                SessionId = actor.SessionId,
            },
            Action = new EventAction
            {
                Method = "tools/call",
                Name = request.Binding.Tool,
                Arguments = kind == ApprovalEventKind.Requested ? JsonElement.Parse(request.MaskedArguments) : null,
            },
            Outcome = new EventOutcome { Status = ApprovalStates.Name(request.State), Summary = Summary(kind, request) },
            Decision = new EventDecision { Effect = "approve", Rule = request.Binding.Rule, PolicyHash = request.Binding.PolicyHash, ReasonCode = PolicyReasonCodes.ApprovalRequired },
            Details = JsonSerializer.SerializeToElement(new
            {
                approval_id = request.Id,
                requester = request.Requester,
                approver_groups = request.ApproverGroups,
                min_approvals = request.MinApprovals,
                approvals = ApprovalRules.DistinctApprovers(request.Approvals),
                expires_at = request.ExpiresAt,
                justification = kind == ApprovalEventKind.Requested ? request.Justification : null,
                reason = kind == ApprovalEventKind.Requested ? request.Reason : null,
                comment = vote?.Comment,
                via = actor.Via,
                @operator = actor.Operator,
            }),
        }, cancellationToken);
    }

    private static string Summary(ApprovalEventKind kind, ApprovalRequest request) => kind switch
    {
        ApprovalEventKind.Requested => $"call held for {request.MinApprovals} approval(s) from {string.Join(" or ", request.ApproverGroups)}",
        ApprovalEventKind.Approved => $"{request.Approvals.Count} of {request.MinApprovals} approval(s)",
        ApprovalEventKind.Denied => $"denied by {request.Denial!.Subject}",
        ApprovalEventKind.Expired => "validity window passed unused",
        _ => $"approved call {request.UsedByCall} runs once",
    };

    private static string KindOf(ApprovalEventKind kind) => kind switch
    {
        ApprovalEventKind.Requested => EventKinds.ApprovalRequest,
        ApprovalEventKind.Approved => EventKinds.ApprovalApprove,
        ApprovalEventKind.Denied => EventKinds.ApprovalDeny,
        ApprovalEventKind.Expired => EventKinds.ApprovalExpire,
        _ => EventKinds.ApprovalUse,
    };
}
