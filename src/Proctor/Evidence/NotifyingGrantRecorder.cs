using Proctor.Approvals.Grants;
using Proctor.Configuration.Models;
using Proctor.Notifications.Notices;

namespace Proctor.Evidence;

/// <summary>
/// Tells approvers and reviewers what happened to grants: each event is recorded first (the ledger is the evidence) and,
/// once durable, published to the configured webhooks (docs/notifications.md). Break-glass is published the moment it is
/// recorded, before the grant is even stored: it is the alert. The reason is the masked copy the grant stores, and the
/// notifier masks the summary again.
/// </summary>
internal sealed class NotifyingGrantRecorder(IGrantRecorder ledger, INoticeSink notices, TimeProvider time) : IGrantRecorder
{
    public async Task RecordAsync(GrantEvent grantEvent, CancellationToken cancellationToken)
    {
        await ledger.RecordAsync(grantEvent, cancellationToken).ConfigureAwait(false);
        notices.Publish(Notice(grantEvent, time.GetUtcNow()));
    }

    internal static GatewayNotice Notice(GrantEvent grantEvent, DateTimeOffset now)
    {
        var (kind, grant, review) = (grantEvent.Kind, grantEvent.Grant, grantEvent.Review);
        var noticeKind = kind switch
        {
            GrantEventKind.Requested => NoticeKinds.GrantRequested,
            GrantEventKind.Approved => NoticeKinds.GrantApproved,
            GrantEventKind.Denied => NoticeKinds.GrantDenied,
            GrantEventKind.Revoked => NoticeKinds.GrantRevoked,
            GrantEventKind.Expired => NoticeKinds.GrantExpired,
            GrantEventKind.BreakGlass => NoticeKinds.BreakGlassOpened,
            GrantEventKind.ReviewOpened => NoticeKinds.ReviewOpened,
            _ => NoticeKinds.ReviewClosed,
        };
        var isReview = kind is GrantEventKind.ReviewOpened or GrantEventKind.ReviewClosed;
        var id = isReview ? review!.Id : grant.Id;
        var actor = kind is GrantEventKind.Approved or GrantEventKind.Denied or GrantEventKind.Revoked or GrantEventKind.ReviewClosed ? grantEvent.Actor.Subject : null;
        return new GatewayNotice(noticeKind, id, now, grant.Holder, grant.Server, null,
            $"{string.Join(", ", grant.Tools)} for {grant.Duration}: {grant.Reason}", grant.Rule, isReview ? $"/api/reviews/{id}" : $"/api/access/{id}")
        {
            Actor = actor,
        };
    }
}
