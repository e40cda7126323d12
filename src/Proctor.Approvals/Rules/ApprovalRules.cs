using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Rules;

/// <summary>
/// The invariants of approvals, in one place and pure (decision 0037; property-tested in ApprovalRulesPropertyTests):
/// <list type="bullet">
/// <item>the requester never approves or denies their own request;</item>
/// <item>only members of the request's approver groups act on it, each at most once; it is approved when
/// <see cref="ApprovalRequest.MinApprovals"/> DISTINCT approvers have approved;</item>
/// <item>an approved request authorizes exactly one run of exactly its call (<see cref="CallBinding"/>: same identity,
/// server, tool, arguments digest, policy hash and rule) before it expires; used, it authorizes nothing;</item>
/// <item>nothing is decided or run after <see cref="ApprovalRequest.ExpiresAt"/>.</item>
/// </list>
/// Every surface (the pipeline, REST, the CLI) goes through these functions; the store only keeps their results.
/// </summary>
public static class ApprovalRules
{
    /// <summary>The state at <paramref name="now"/>: a pending or approved request past its expiry is expired, recorded or not.</summary>
    public static ApprovalState StateAt(ApprovalRequest request, DateTimeOffset now) =>
        request.State is ApprovalState.Pending or ApprovalState.Approved && now >= request.ExpiresAt ? ApprovalState.Expired : request.State;

    /// <summary>Why <paramref name="approver"/> may not approve or deny <paramref name="request"/> now; null when they may.</summary>
    public static ApprovalRefusal? WhyNot(ApprovalRequest request, Approver approver, DateTimeOffset now)
    {
        if (string.Equals(approver.Identity, request.Binding.Identity, StringComparison.Ordinal))
        {
            return new ApprovalRefusal(ApprovalRefusal.SelfApproval,
                $"'{approver.Subject}' made request {request.Id} and cannot approve or deny it: someone else in {Groups(request)} must.");
        }

        var state = StateAt(request, now);
        if (state == ApprovalState.Expired)
        {
            return new ApprovalRefusal(ApprovalRefusal.Expired,
                $"Request {request.Id} expired at {request.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}; nothing can be decided on it. If the call is still needed, the caller calls again, which makes a new request.");
        }

        if (state != ApprovalState.Pending)
        {
            return new ApprovalRefusal(ApprovalRefusal.NotPending, $"Request {request.Id} is {ApprovalStates.Name(state)} already; only a pending request can be approved or denied.");
        }

        if (!Overlaps(approver.Groups, request.ApproverGroups))
        {
            return new ApprovalRefusal(ApprovalRefusal.NotAnApprover,
                $"'{approver.Subject}' is in none of the groups that approve request {request.Id} ({Groups(request)}; theirs: {(approver.Groups.Count == 0 ? "none" : string.Join(", ", approver.Groups))}).");
        }

        foreach (var vote in request.Approvals)
        {
            if (string.Equals(vote.Identity, approver.Identity, StringComparison.Ordinal))
            {
                return new ApprovalRefusal(ApprovalRefusal.AlreadyApproved,
                    $"'{approver.Subject}' approved request {request.Id} already; it needs {request.MinApprovals} different approvers, {request.MinApprovals - request.Approvals.Count} more.");
            }
        }

        return null;
    }

    /// <summary>The request with <paramref name="approver"/>'s approval added; approved once enough distinct approvers have approved.</summary>
    /// <exception cref="InvalidOperationException">The approver may not act (<see cref="WhyNot"/>): the caller checks first.</exception>
    public static ApprovalRequest Approve(ApprovalRequest request, Approver approver, DateTimeOffset now, string? comment, string via)
    {
        Require(request, approver, now);
        ApprovalVote[] approvals = [.. request.Approvals, new ApprovalVote(approver.Identity, approver.Subject, now, comment, via)];
        return request with
        {
            Approvals = approvals,
            State = DistinctApprovers(approvals) >= request.MinApprovals ? ApprovalState.Approved : ApprovalState.Pending,
        };
    }

    /// <summary>The request denied by <paramref name="approver"/>: one denial is final.</summary>
    /// <exception cref="InvalidOperationException">The approver may not act (<see cref="WhyNot"/>).</exception>
    public static ApprovalRequest Deny(ApprovalRequest request, Approver approver, DateTimeOffset now, string? comment, string via)
    {
        Require(request, approver, now);
        return request with { State = ApprovalState.Denied, Denial = new ApprovalVote(approver.Identity, approver.Subject, now, comment, via) };
    }

    /// <summary>Whether <paramref name="request"/> lets <paramref name="call"/> run now: approved, unused, unexpired, and exactly its call.</summary>
    public static bool Authorizes(ApprovalRequest request, CallBinding call, DateTimeOffset now) =>
        StateAt(request, now) == ApprovalState.Approved && request.Binding == call;

    /// <summary>Whether <paramref name="call"/> should wait on <paramref name="request"/> rather than make a new one: pending, unexpired, exactly its call.</summary>
    public static bool Awaits(ApprovalRequest request, CallBinding call, DateTimeOffset now) =>
        StateAt(request, now) == ApprovalState.Pending && request.Binding == call;

    /// <summary>The request spent on <paramref name="call"/>'s one run.</summary>
    /// <exception cref="InvalidOperationException">The request does not authorize the call (<see cref="Authorizes"/>).</exception>
    public static ApprovalRequest Use(ApprovalRequest request, CallBinding call, string callId, DateTimeOffset now) =>
        Authorizes(request, call, now)
            ? request with { State = ApprovalState.Used, UsedAt = now, UsedByCall = callId }
            : throw new InvalidOperationException($"Request {request.Id} ({ApprovalStates.Name(StateAt(request, now))}) does not authorize this call; check Authorizes first.");

    /// <summary>The request marked expired, once its window has passed.</summary>
    /// <exception cref="InvalidOperationException">It has not expired, or is recorded as expired, denied or used already.</exception>
    public static ApprovalRequest Expire(ApprovalRequest request, DateTimeOffset now) =>
        request.State is ApprovalState.Pending or ApprovalState.Approved && StateAt(request, now) == ApprovalState.Expired
            ? request with { State = ApprovalState.Expired }
            : throw new InvalidOperationException($"Request {request.Id} is {ApprovalStates.Name(request.State)} and expires at {request.ExpiresAt:O}; it cannot be marked expired at {now:O}.");

    /// <summary>How many different people approved.</summary>
    public static int DistinctApprovers(IReadOnlyList<ApprovalVote> approvals)
    {
        var identities = new HashSet<string>(StringComparer.Ordinal);
        foreach (var vote in approvals)
        {
            identities.Add(vote.Identity);
        }

        return identities.Count;
    }

    private static void Require(ApprovalRequest request, Approver approver, DateTimeOffset now)
    {
        if (WhyNot(request, approver, now) is { } refusal)
        {
            throw new InvalidOperationException(refusal.Message);
        }
    }

    private static bool Overlaps(IReadOnlyList<string> groups, IReadOnlyList<string> approverGroups)
    {
        foreach (var group in groups)
        {
            foreach (var approverGroup in approverGroups)
            {
                if (string.Equals(group, approverGroup, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string Groups(ApprovalRequest request) => request.ApproverGroups.Count == 0 ? "no group" : string.Join(" or ", request.ApproverGroups);
}
