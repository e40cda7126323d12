using Proctor.Approvals.Evidence;

namespace Proctor.Approvals.Grants;

/// <summary>What happened to a grant or a review; each is one ledger event kind (docs/ledger.md).</summary>
public enum GrantEventKind
{
    /// <summary><c>grant.request</c>.</summary>
    Requested,

    /// <summary><c>grant.approve</c>: one approver approved (the grant is active once enough have).</summary>
    Approved,

    /// <summary><c>grant.deny</c>.</summary>
    Denied,

    /// <summary><c>grant.revoke</c>: it stops working now.</summary>
    Revoked,

    /// <summary><c>grant.expire</c>: its time ran out, or nobody decided the request in time.</summary>
    Expired,

    /// <summary><c>breakglass.open</c>: the holder took the grant alone, active at once.</summary>
    BreakGlass,

    /// <summary><c>review.open</c>: the break-glass grant waits for someone else's review.</summary>
    ReviewOpened,

    /// <summary><c>review.close</c>.</summary>
    ReviewClosed,
}

/// <param name="Grant">The grant as it is after the event.</param>
/// <param name="Review">For the review events.</param>
public sealed record GrantEvent(GrantEventKind Kind, AccessGrant Grant, ApprovalActor Actor, AccessReview? Review = null);

/// <summary>
/// Puts what happens to grants on record. MUST complete only once the event is durable: the desk changes the store only
/// after, so a ledger that cannot record changes nothing (fail closed).
/// </summary>
public interface IGrantRecorder
{
    Task RecordAsync(GrantEvent grantEvent, CancellationToken cancellationToken);
}
