using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;

namespace Proctor.Approvals.Grants;

/// <summary>
/// Every change to a grant or a review, for every surface (REST, the CLI, the gateway's sweep): read it, let
/// <see cref="GrantRules"/> compute the next value, record the event, then store it if nobody changed it meanwhile, then
/// tell <see cref="Changed"/> (the gateway's cache of active grants). The event comes first, as on the approvals desk:
/// a ledger that cannot record changes nothing.
/// </summary>
public sealed class GrantDesk(IGrantStore store, IGrantRecorder recorder, TimeProvider time, GrantLimits limits)
{
    /// <summary>A change that loses a race is computed again this many times before it is reported.</summary>
    private const int ChangeAttempts = 3;

    /// <summary>Grants marked expired per sweep; the next sweep takes the rest.</summary>
    private const int ExpiriesPerSweep = 100;

    public GrantLimits Limits => limits;

    public IGrantStore Store => store;

    /// <summary>A grant changed through this desk (this process); the gateway refreshes its cache at once rather than at its next poll.</summary>
    public event Action<AccessGrant>? Changed;

    public async Task<GrantOutcome> RequestAsync(GrantDraft draft, ApprovalActor requester, CancellationToken cancellationToken)
    {
        if (GrantRules.WhyNotRequest(draft, limits, breakGlass: false) is { } refusal)
        {
            return new GrantOutcome(null, refusal);
        }

        var now = time.GetUtcNow();
        var grant = GrantRules.Requested(draft, Guid.CreateVersion7(now).ToString(), now, now + limits.RequestValidity);
        await recorder.RecordAsync(new GrantEvent(GrantEventKind.Requested, grant, requester), cancellationToken).ConfigureAwait(false);
        await store.CreateAsync(grant, cancellationToken).ConfigureAwait(false);
        return new GrantOutcome(grant with { Version = 1 }, null);
    }

    /// <summary>An approver approves (<paramref name="approve"/>) or denies grant request <paramref name="id"/>.</summary>
    public Task<GrantOutcome> DecideAsync(string id, Approver approver, ApprovalActor actor, bool approve, string? comment, CancellationToken cancellationToken) =>
        ChangeAsync(id, approve ? GrantEventKind.Approved : GrantEventKind.Denied, actor,
            (grant, now) => GrantRules.WhyNotDecide(grant, approver, now),
            (grant, now) => approve ? GrantRules.Approve(grant, approver, now, comment, actor.Via) : GrantRules.Deny(grant, approver, now, comment, actor.Via),
            cancellationToken);

    /// <summary>The holder gives a grant up, or an approver takes it away: it stops working at once.</summary>
    public Task<GrantOutcome> RevokeAsync(string id, Approver approver, ApprovalActor actor, string? comment, CancellationToken cancellationToken) =>
        ChangeAsync(id, GrantEventKind.Revoked, actor,
            (grant, now) => GrantRules.WhyNotRevoke(grant, approver, now),
            (grant, now) => GrantRules.Revoke(grant, approver, now, comment, actor.Via),
            cancellationToken);

    /// <summary>
    /// A member of the break-glass role takes <paramref name="draft"/> alone: <c>breakglass.open</c> and <c>review.open</c>
    /// are recorded, then the grant (active at once) and its open review are stored. The surface checks the role.
    /// </summary>
    public async Task<GrantOutcome> BreakGlassAsync(GrantDraft draft, ApprovalActor holder, CancellationToken cancellationToken)
    {
        if (GrantRules.WhyNotRequest(draft, limits, breakGlass: true) is { } refusal)
        {
            return new GrantOutcome(null, refusal);
        }

        var now = time.GetUtcNow();
        var grant = GrantRules.BreakGlass(draft, Guid.CreateVersion7(now).ToString(), now);
        var review = new AccessReview
        {
            Id = Guid.CreateVersion7(now).ToString(),
            GrantId = grant.Id,
            Identity = grant.Identity,
            Holder = grant.Holder,
            Server = grant.Server,
            Tools = grant.Tools,
            Reason = grant.Reason,
            ReviewerGroups = grant.ApproverGroups,
            OpenedAt = now,
        };
        await recorder.RecordAsync(new GrantEvent(GrantEventKind.BreakGlass, grant, holder, review), cancellationToken).ConfigureAwait(false);
        await recorder.RecordAsync(new GrantEvent(GrantEventKind.ReviewOpened, grant, holder, review), cancellationToken).ConfigureAwait(false);
        await store.CreateReviewAsync(review, cancellationToken).ConfigureAwait(false);
        await store.CreateAsync(grant, cancellationToken).ConfigureAwait(false);
        grant = grant with { Version = 1 };
        Changed?.Invoke(grant);
        return new GrantOutcome(grant, null, review with { Version = 1 });
    }

    /// <summary>Someone other than the holder closes a break-glass review, with a comment.</summary>
    public async Task<GrantOutcome> CloseReviewAsync(string id, Approver reviewer, ApprovalActor actor, string? comment, CancellationToken cancellationToken)
    {
        var recorded = false;
        for (var attempt = 0; attempt < ChangeAttempts; attempt++)
        {
            if (await store.FindReviewAsync(id, cancellationToken).ConfigureAwait(false) is not { } review)
            {
                return new GrantOutcome(null, new ApprovalRefusal(ApprovalRefusal.Unknown, $"No review {id}; 'proctor reviews list' or GET /api/reviews lists them."));
            }

            if (GrantRules.WhyNotClose(review, reviewer, comment) is { } refusal)
            {
                return new GrantOutcome(null, refusal);
            }

            var closed = GrantRules.Close(review, reviewer, time.GetUtcNow(), comment!, actor.Via);
            var grant = await store.FindAsync(review.GrantId, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Review {id} names grant {review.GrantId}, which the database does not hold; was the grants table edited by hand?");
            if (!recorded)
            {
                await recorder.RecordAsync(new GrantEvent(GrantEventKind.ReviewClosed, grant, actor, closed), cancellationToken).ConfigureAwait(false);
                recorded = true;
            }

            if (await store.ReplaceReviewAsync(review, closed, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                return new GrantOutcome(grant, null, stored);
            }
        }

        return new GrantOutcome(null, new ApprovalRefusal(ApprovalRefusal.NotPending, $"Review {id} kept changing while your closing was being stored; it is in the ledger but changed nothing. Look again with 'proctor reviews list'."));
    }

    /// <summary>Marks every grant whose time ran out (or whose request lapsed) as expired, recording <c>grant.expire</c> first; returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var grant in await store.DueAsync(now, ExpiriesPerSweep, cancellationToken).ConfigureAwait(false))
        {
            var next = GrantRules.Expire(grant, now);
            await recorder.RecordAsync(new GrantEvent(GrantEventKind.Expired, next, ApprovalActor.Gateway), cancellationToken).ConfigureAwait(false);
            if (await store.ReplaceAsync(grant, next, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                expired++;
                Changed?.Invoke(stored);
            }
        }

        return expired;
    }

    private async Task<GrantOutcome> ChangeAsync(string id, GrantEventKind kind, ApprovalActor actor, Func<AccessGrant, DateTimeOffset, ApprovalRefusal?> whyNot,
        Func<AccessGrant, DateTimeOffset, AccessGrant> change, CancellationToken cancellationToken)
    {
        var recorded = false;
        for (var attempt = 0; attempt < ChangeAttempts; attempt++)
        {
            if (await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } grant)
            {
                return new GrantOutcome(null, new ApprovalRefusal(ApprovalRefusal.Unknown, $"No grant {id}; 'proctor access grants' or GET /api/access lists them."));
            }

            var now = time.GetUtcNow();
            if (whyNot(grant, now) is { } refusal)
            {
                return new GrantOutcome(null, recorded ? refusal with { Message = $"{refusal.Message} (It changed while your action was being recorded; your action is in the ledger but changed nothing.)" } : refusal);
            }

            var next = change(grant, now);
            if (!recorded)
            {
                await recorder.RecordAsync(new GrantEvent(kind, next, actor), cancellationToken).ConfigureAwait(false);
                recorded = true;
            }

            if (await store.ReplaceAsync(grant, next, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                Changed?.Invoke(stored);
                return new GrantOutcome(stored, null);
            }
        }

        return new GrantOutcome(null, new ApprovalRefusal(ApprovalRefusal.NotPending, $"Grant {id} kept changing while your action was being stored; it is in the ledger but changed nothing. Look again with 'proctor access grants'."));
    }
}
