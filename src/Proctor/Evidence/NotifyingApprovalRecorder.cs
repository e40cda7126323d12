using Proctor.Approvals.Evidence;
using Proctor.Configuration.Models;
using Proctor.Notifications.Notices;

namespace Proctor.Evidence;

/// <summary>
/// Tells approvers what happened to approval requests: each event is recorded first (the ledger is the evidence) and,
/// once it is durable, published to the configured webhooks (docs/notifications.md). A use is evidence but not news:
/// it is not published. Only masked values leave: the arguments are the masked copy the request stores, and the
/// notifier masks the summary again.
/// </summary>
internal sealed class NotifyingApprovalRecorder(IApprovalRecorder ledger, INoticeSink notices, TimeProvider time) : IApprovalRecorder
{
    public async Task RecordAsync(ApprovalEvent approvalEvent, CancellationToken cancellationToken)
    {
        await ledger.RecordAsync(approvalEvent, cancellationToken).ConfigureAwait(false);
        if (Notice(approvalEvent, time.GetUtcNow()) is { } notice)
        {
            notices.Publish(notice);
        }
    }

    internal static GatewayNotice? Notice(ApprovalEvent approvalEvent, DateTimeOffset now)
    {
        var kind = approvalEvent.Kind switch
        {
            ApprovalEventKind.Requested => NoticeKinds.ApprovalRequested,
            ApprovalEventKind.Approved => NoticeKinds.ApprovalApproved,
            ApprovalEventKind.Denied => NoticeKinds.ApprovalDenied,
            ApprovalEventKind.Expired => NoticeKinds.ApprovalExpired,
            _ => null,
        };
        if (kind is null)
        {
            return null;
        }

        var request = approvalEvent.Request;
        var binding = request.Binding;
        var actor = approvalEvent.Kind is ApprovalEventKind.Approved or ApprovalEventKind.Denied ? approvalEvent.Actor.Subject : null;
        return new GatewayNotice(kind, request.Id, approvalEvent.Kind == ApprovalEventKind.Requested ? request.CreatedAt : now,
            request.Requester, binding.Server, binding.Tool, $"{binding.Tool} {request.MaskedArguments}", binding.Rule, $"/api/approvals/{request.Id}")
        {
            Actor = actor,
        };
    }
}
