using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Approvals.Signals;
using Proctor.Approvals.Store;

namespace Proctor.Approvals.Desk;

/// <summary>
/// Every change to a request, for every surface (the pipeline's Approve stage, REST, the CLI, the expiry sweep): read it,
/// let <see cref="ApprovalRules"/> compute the next value, record the event, then store the value if nobody changed the
/// request meanwhile, then wake whoever waits on it. The event comes first: a ledger that cannot record changes nothing.
/// </summary>
/// <remarks>
/// A compare-and-set that loses after its event was recorded leaves that event on record beside the change that won
/// (an approval given at the instant another approver denied): the ledger then shows both, and the request shows the winner.
/// </remarks>
public sealed class ApprovalDesk(IApprovalStore store, IApprovalRecorder recorder, IApprovalSignals signals, TimeProvider time, TimeSpan validity)
{
    /// <summary>An approver's change that loses a race is computed again this many times before it is reported.</summary>
    private const int DecisionAttempts = 3;

    /// <summary>Due requests marked expired per sweep; the next sweep takes the rest.</summary>
    private const int ExpiriesPerSweep = 100;

    /// <summary>Serializes finding-or-creating, so that identical calls arriving together share one request (one process; see decision 0037).</summary>
    private readonly SemaphoreSlim _opening = new(1, 1);

    /// <summary>How long a request stays valid: to be approved, and for its approved call to run.</summary>
    public TimeSpan Validity => validity;

    public IApprovalSignals Signals => signals;

    public Task<ApprovalRequest?> FindAsync(string id, CancellationToken cancellationToken) => store.FindAsync(id, cancellationToken);

    public Task<IReadOnlyList<ApprovalRequest>> ListAsync(ApprovalQuery query, CancellationToken cancellationToken) => store.ListAsync(query, cancellationToken);

    /// <summary>
    /// The request that would decide the call <paramref name="binding"/> now: an approved one it may use, else the pending
    /// one it would wait on; null when calling would make a new request (the approval flow then asks for a justification).
    /// </summary>
    public async Task<ApprovalRequest?> FindOpenAsync(CallBinding binding, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        ApprovalRequest? pending = null;
        foreach (var open in await store.FindOpenAsync(binding, cancellationToken).ConfigureAwait(false))
        {
            if (ApprovalRules.Authorizes(open, binding, now))
            {
                return open;
            }

            if (pending is null && ApprovalRules.Awaits(open, binding, now))
            {
                pending = open;
            }
        }

        return pending;
    }

    /// <summary>
    /// The request that decides <paramref name="draft"/>'s call: an approved one it may use, else the pending one it
    /// waits on, else a new pending one (recorded as <c>approval.request</c> before it is stored).
    /// </summary>
    public async Task<ApprovalRequest> OpenAsync(ApprovalDraft draft, ApprovalActor requester, string callId, CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await FindOpenAsync(draft.Binding, cancellationToken).ConfigureAwait(false) is { } open)
            {
                return open;
            }

            var now = time.GetUtcNow();
            var request = new ApprovalRequest
            {
                Id = Guid.CreateVersion7(now).ToString(),
                Binding = draft.Binding,
                Requester = draft.Requester,
                ApproverGroups = draft.ApproverGroups,
                MinApprovals = draft.MinApprovals,
                MaskedArguments = draft.MaskedArguments,
                Justification = draft.Justification,
                Reason = draft.Reason,
                CreatedAt = now,
                ExpiresAt = now + validity,
            };
            await recorder.RecordAsync(new ApprovalEvent(ApprovalEventKind.Requested, request, requester, callId), cancellationToken).ConfigureAwait(false);
            await store.CreateAsync(request, cancellationToken).ConfigureAwait(false);
            return request with { Version = 1 };
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>
    /// Spends <paramref name="approved"/> on <paramref name="callId"/>'s run: null when it does not authorize the call now,
    /// or another call spent it first. The store's compare-and-set makes the spending atomic; the <c>approval.use</c>
    /// event is recorded before the call may run, and if it cannot be, the request is put back as it was and this throws.
    /// </summary>
    public async Task<ApprovalRequest?> UseAsync(ApprovalRequest approved, CallBinding call, ApprovalActor caller, string callId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!ApprovalRules.Authorizes(approved, call, now)
            || await store.ReplaceAsync(approved, ApprovalRules.Use(approved, call, callId, now), cancellationToken).ConfigureAwait(false) is not { } used)
        {
            return null;
        }

        try
        {
            await recorder.RecordAsync(new ApprovalEvent(ApprovalEventKind.Used, used, caller, callId), CancellationToken.None).ConfigureAwait(false);
        }
        catch
        {
            // Not cancellable: the approval must not stay spent on a call that will not run.
            await store.ReplaceAsync(used, approved, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        signals.Notify(used.Id);
        return used;
    }

    /// <summary>An approver approves (<paramref name="approve"/>) or denies request <paramref name="id"/>.</summary>
    public async Task<ApprovalDecision> DecideAsync(string id, Approver approver, ApprovalActor actor, bool approve, string? comment, CancellationToken cancellationToken)
    {
        var recorded = false;
        for (var attempt = 0; attempt < DecisionAttempts; attempt++)
        {
            if (await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } request)
            {
                return new ApprovalDecision(null, new ApprovalRefusal(ApprovalRefusal.Unknown, $"No approval request {id}; 'proctor approvals list' or GET /api/approvals lists them."));
            }

            var now = time.GetUtcNow();
            if (ApprovalRules.WhyNot(request, approver, now) is { } refusal)
            {
                return new ApprovalDecision(null, recorded ? refusal with { Message = $"{refusal.Message} (It changed while your decision was being recorded; your decision is in the ledger but changed nothing.)" } : refusal);
            }

            var next = approve ? ApprovalRules.Approve(request, approver, now, comment, actor.Via) : ApprovalRules.Deny(request, approver, now, comment, actor.Via);
            if (!recorded)
            {
                await recorder.RecordAsync(new ApprovalEvent(approve ? ApprovalEventKind.Approved : ApprovalEventKind.Denied, next, actor), cancellationToken).ConfigureAwait(false);
                recorded = true;
            }

            if (await store.ReplaceAsync(request, next, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                signals.Notify(id);
                return new ApprovalDecision(stored, null);
            }
        }

        return new ApprovalDecision(null, new ApprovalRefusal(ApprovalRefusal.NotPending, $"Request {id} kept changing while your decision was being stored; your decision is in the ledger but changed nothing. Look at it again with 'proctor approvals show {id}'."));
    }

    /// <summary>Marks every request whose window has passed as expired (recording <c>approval.expire</c> first); returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        foreach (var request in await store.DueAsync(now, ExpiriesPerSweep, cancellationToken).ConfigureAwait(false))
        {
            var next = ApprovalRules.Expire(request, now);
            await recorder.RecordAsync(new ApprovalEvent(ApprovalEventKind.Expired, next, ApprovalActor.Gateway), cancellationToken).ConfigureAwait(false);
            if (await store.ReplaceAsync(request, next, cancellationToken).ConfigureAwait(false) is not null)
            {
                expired++;
                signals.Notify(request.Id);
            }
        }

        return expired;
    }
}
