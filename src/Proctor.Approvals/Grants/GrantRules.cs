using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;

namespace Proctor.Approvals.Grants;

/// <summary>
/// The invariants of just-in-time grants, pure (decision 0041; property-tested in GrantRulesPropertyTests):
/// <list type="bullet">
/// <item>nobody approves, denies or reviews their own grant; M of N counts distinct approvers of the rule's groups;</item>
/// <item>a grant covers exactly its holder (issuer and subject), its server and its listed tools, from its start until
/// <see cref="AccessGrant.ExpiresAt"/> or its revocation, and nothing else, ever;</item>
/// <item>no grant lasts longer than the configured maximum (break-glass has its own, shorter one) or comes without a reason.</item>
/// </list>
/// </summary>
public static class GrantRules
{
    public static GrantState StateAt(AccessGrant grant, DateTimeOffset now) => grant.State switch
    {
        GrantState.Pending when now >= grant.DecideBy => GrantState.Expired,
        GrantState.Active when grant.ExpiresAt is not { } end || now >= end => GrantState.Expired,
        var state => state,
    };

    /// <summary>Whether <paramref name="grant"/> lets <paramref name="identity"/> call <paramref name="tool"/> on <paramref name="server"/> now.</summary>
    public static bool Covers(AccessGrant grant, string identity, string server, string tool, DateTimeOffset now)
    {
        if (StateAt(grant, now) != GrantState.Active
            || !string.Equals(grant.Identity, identity, StringComparison.Ordinal)
            || !string.Equals(grant.Server, server, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var covered in grant.Tools)
        {
            if (string.Equals(covered, tool, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Why <paramref name="draft"/> cannot be asked for (or, with <paramref name="breakGlass"/>, taken); null when it can.</summary>
    public static ApprovalRefusal? WhyNotRequest(GrantDraft draft, GrantLimits limits, bool breakGlass)
    {
        var maximum = breakGlass ? limits.BreakGlassMaxDuration : limits.MaxDuration;
        var key = breakGlass ? "access.breakGlassMaxDuration" : "access.maxDuration";
        if (draft.Tools.Count == 0)
        {
            return new ApprovalRefusal(ApprovalRefusal.InvalidRequest, $"The request names no tool on server '{draft.Server}'; name each tool needed, e.g. --tool run_sql.");
        }

        if (string.IsNullOrWhiteSpace(draft.Reason))
        {
            return new ApprovalRefusal(ApprovalRefusal.InvalidRequest, breakGlass
                ? "Break-glass needs a reason: what is broken and why normal access will not do (--reason \"INC-1234: payments down\")."
                : "A grant request needs a reason or a ticket approvers can check (--reason \"CHG-1234: month-end fix\").");
        }

        if (draft.Duration <= TimeSpan.Zero)
        {
            return new ApprovalRefusal(ApprovalRefusal.InvalidRequest, $"A grant of {draft.Duration} would never work; ask for a positive duration such as 1h.");
        }

        return draft.Duration > maximum
            ? new ApprovalRefusal(ApprovalRefusal.TooLong, $"{Text(draft.Duration)} is longer than {key} ({Text(maximum)}); ask for at most {Text(maximum)}, and again later if still needed.")
            : null;
    }

    /// <summary>Why <paramref name="approver"/> may not approve or deny <paramref name="grant"/> now; null when they may.</summary>
    public static ApprovalRefusal? WhyNotDecide(AccessGrant grant, Approver approver, DateTimeOffset now)
    {
        if (IsHolder(grant, approver))
        {
            return new ApprovalRefusal(ApprovalRefusal.SelfApproval, $"'{approver.Subject}' asked for grant {grant.Id} and cannot approve or deny it: someone else in {Groups(grant.ApproverGroups)} must.");
        }

        var state = StateAt(grant, now);
        if (state != GrantState.Pending)
        {
            return state == GrantState.Expired && grant.State == GrantState.Pending
                ? new ApprovalRefusal(ApprovalRefusal.Expired, $"Grant request {grant.Id} lapsed undecided at {grant.DecideBy:yyyy-MM-ddTHH:mm:ssZ}; the holder asks again if still needed.")
                : new ApprovalRefusal(ApprovalRefusal.NotPending, $"Grant {grant.Id} is {GrantStates.Name(state)} already; only a pending request can be approved or denied.");
        }

        if (!Overlaps(approver.Groups, grant.ApproverGroups))
        {
            return NotAnApprover(grant.Id, approver, grant.ApproverGroups);
        }

        foreach (var vote in grant.Approvals)
        {
            if (string.Equals(vote.Identity, approver.Identity, StringComparison.Ordinal))
            {
                return new ApprovalRefusal(ApprovalRefusal.AlreadyApproved,
                    $"'{approver.Subject}' approved grant {grant.Id} already; it needs {grant.MinApprovals} different approvers, {grant.MinApprovals - grant.Approvals.Count} more.");
            }
        }

        return null;
    }

    /// <summary>The grant with this approval added: active from <paramref name="now"/> for its duration once enough distinct people approved.</summary>
    public static AccessGrant Approve(AccessGrant grant, Approver approver, DateTimeOffset now, string? comment, string via)
    {
        Require(WhyNotDecide(grant, approver, now));
        ApprovalVote[] approvals = [.. grant.Approvals, new ApprovalVote(approver.Identity, approver.Subject, now, comment, via)];
        return ApprovalRules.DistinctApprovers(approvals) >= grant.MinApprovals
            ? grant with { Approvals = approvals, State = GrantState.Active, StartsAt = now, ExpiresAt = now + grant.Duration }
            : grant with { Approvals = approvals };
    }

    public static AccessGrant Deny(AccessGrant grant, Approver approver, DateTimeOffset now, string? comment, string via)
    {
        Require(WhyNotDecide(grant, approver, now));
        return grant with { State = GrantState.Denied, Ending = new ApprovalVote(approver.Identity, approver.Subject, now, comment, via) };
    }

    /// <summary>
    /// Why <paramref name="approver"/> may not revoke <paramref name="grant"/>; null when they may: the holder may give
    /// up their own access, and members of its approver groups may take it away, while it is pending or active.
    /// </summary>
    public static ApprovalRefusal? WhyNotRevoke(AccessGrant grant, Approver approver, DateTimeOffset now)
    {
        var state = StateAt(grant, now);
        if (state is not (GrantState.Pending or GrantState.Active))
        {
            return new ApprovalRefusal(ApprovalRefusal.NotPending, $"Grant {grant.Id} is {GrantStates.Name(state)} already; it gives no access to revoke.");
        }

        return IsHolder(grant, approver) || Overlaps(approver.Groups, grant.ApproverGroups) ? null : NotAnApprover(grant.Id, approver, grant.ApproverGroups);
    }

    public static AccessGrant Revoke(AccessGrant grant, Approver approver, DateTimeOffset now, string? comment, string via)
    {
        Require(WhyNotRevoke(grant, approver, now));
        return grant with { State = GrantState.Revoked, Ending = new ApprovalVote(approver.Identity, approver.Subject, now, comment, via) };
    }

    /// <summary>The grant marked expired: its time ran out, or nobody decided it in time.</summary>
    public static AccessGrant Expire(AccessGrant grant, DateTimeOffset now) =>
        grant.State is GrantState.Pending or GrantState.Active && StateAt(grant, now) == GrantState.Expired
            ? grant with { State = GrantState.Expired }
            : throw new InvalidOperationException($"Grant {grant.Id} is {GrantStates.Name(StateAt(grant, now))}; it cannot be marked expired at {now:O}.");

    /// <summary>A requested grant: pending until enough approvers decide, or until <paramref name="decideBy"/>.</summary>
    public static AccessGrant Requested(GrantDraft draft, string id, DateTimeOffset now, DateTimeOffset decideBy) => new()
    {
        Id = id,
        Identity = draft.Identity,
        Holder = draft.Holder,
        Server = draft.Server,
        Tools = draft.Tools,
        Reason = draft.Reason,
        Ticket = draft.Ticket,
        Duration = draft.Duration,
        Rule = draft.Rule,
        PolicyHash = draft.PolicyHash,
        ApproverGroups = draft.ApproverGroups,
        MinApprovals = draft.MinApprovals,
        CreatedAt = now,
        DecideBy = decideBy,
    };

    /// <summary>A break-glass grant: active at once, for its holder alone; its review is what someone else checks.</summary>
    public static AccessGrant BreakGlass(GrantDraft draft, string id, DateTimeOffset now) => Requested(draft, id, now, decideBy: now) with
    {
        MinApprovals = 0,
        BreakGlass = true,
        State = GrantState.Active,
        StartsAt = now,
        ExpiresAt = now + draft.Duration,
    };

    /// <summary>Why <paramref name="reviewer"/> may not close <paramref name="review"/>; null when they may.</summary>
    public static ApprovalRefusal? WhyNotClose(AccessReview review, Approver reviewer, string? comment)
    {
        if (string.Equals(reviewer.Identity, review.Identity, StringComparison.Ordinal))
        {
            return new ApprovalRefusal(ApprovalRefusal.SelfApproval, $"'{reviewer.Subject}' broke the glass (grant {review.GrantId}) and cannot review it: someone else in {Groups(review.ReviewerGroups)} must.");
        }

        if (!review.IsOpen)
        {
            return new ApprovalRefusal(ApprovalRefusal.NotPending, $"Review {review.Id} was closed by {review.Closure!.Subject} already.");
        }

        if (!Overlaps(reviewer.Groups, review.ReviewerGroups))
        {
            return NotAnApprover(review.Id, reviewer, review.ReviewerGroups);
        }

        return string.IsNullOrWhiteSpace(comment)
            ? new ApprovalRefusal(ApprovalRefusal.InvalidRequest, $"Closing review {review.Id} needs a comment saying what was checked (--comment \"INC-1234 reviewed: queries matched the incident\").")
            : null;
    }

    public static AccessReview Close(AccessReview review, Approver reviewer, DateTimeOffset now, string comment, string via)
    {
        Require(WhyNotClose(review, reviewer, comment));
        return review with { Closure = new ApprovalVote(reviewer.Identity, reviewer.Subject, now, comment, via) };
    }

    private static bool IsHolder(AccessGrant grant, Approver approver) => string.Equals(approver.Identity, grant.Identity, StringComparison.Ordinal);

    private static ApprovalRefusal NotAnApprover(string id, Approver approver, IReadOnlyList<string> groups) =>
        new(ApprovalRefusal.NotAnApprover, $"'{approver.Subject}' is in none of the groups that decide {id} ({Groups(groups)}; theirs: {(approver.Groups.Count == 0 ? "none" : string.Join(", ", approver.Groups))}).");

    private static void Require(ApprovalRefusal? refusal)
    {
        if (refusal is not null)
        {
            throw new InvalidOperationException(refusal.Message);
        }
    }

    private static bool Overlaps(IReadOnlyList<string> groups, IReadOnlyList<string> wanted)
    {
        foreach (var group in groups)
        {
            foreach (var candidate in wanted)
            {
                if (string.Equals(group, candidate, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string Groups(IReadOnlyList<string> groups) => groups.Count == 0 ? "no group" : string.Join(" or ", groups);

    private static string Text(TimeSpan duration) => duration.TotalHours >= 1 && duration.TotalHours == Math.Floor(duration.TotalHours) ? $"{duration.TotalHours:0}h" : $"{duration.TotalMinutes:0.##}m";
}
