namespace Proctor.Evidence.Reports.Access;

/// <summary>reports/access.json: identities, approvals, grants, break-glass and reviews, denials, policy versions.</summary>
internal static class AccessReport
{
    public static object Build(IdentityTally identities, ApprovalTally approvals, GrantTally grants, DenialTally denials, PolicyTally policies)
    {
        var approvalList = approvals.Approvals;
        var grantList = grants.Grants;
        return new
        {
            identities = identities.Identities.Select(identity => new
            {
                subject = identity.Subject,
                first_seen = identity.FirstSeen,
                last_seen = identity.LastSeen,
                events = identity.Events,
                calls = identity.Calls,
                issuers = identity.Issuers,
                auth_methods = identity.AuthMethods,
                amr = identity.Amr,
            }),
            approvals = new
            {
                total = approvalList.Count,
                approver_is_requester = approvalList.Count(approval => approval.ApproverIsRequester),
                items = approvalList.Select(approval => new
                {
                    approval_id = approval.Id,
                    server = approval.Server,
                    tool = approval.Tool,
                    rule = approval.Rule,
                    policy_hash = approval.PolicyHash,
                    requester = approval.Requester,
                    requested_at = approval.RequestedAt,
                    approvers = approval.Approvers,
                    approver_differs_from_requester = !approval.ApproverIsRequester,
                    flagged = approval.ApproverIsRequester ? "an approver is the requester" : null,
                    denied_by = approval.DeniedBy,
                    expired_at = approval.ExpiredAt,
                    used_at = approval.UsedAt,
                    used_by_call = approval.UsedByCall,
                    state = approval.State,
                }),
            },
            grants = new
            {
                total = grantList.Count,
                self_approved = grantList.Count(grant => grant.SelfApproved),
                items = grantList.Select(Grant),
                calls_under_grants_from_before_the_period = grants.UsesOfEarlierGrants,
            },
            // The grant's holder, scope, window and calls are in grants.items under the same grant_id.
            break_glass = grantList.Where(grant => grant.BreakGlass).Select(grant => new
            {
                grant_id = grant.Id,
                reason = grant.Reason,
                review_id = grant.ReviewId,
                review_opened_at = grant.ReviewOpenedAt,
                review_closed_by = grant.ReviewClosedBy,
                review_open = grant.ReviewClosedBy is null,
                flagged = grant.SelfApproved ? "reviewed by its holder" : null,
            }),
            denials = new { total = denials.Total, by_reason = denials.ByReason, by_identity = denials.ByIdentity },
            policies = new
            {
                in_force = policies.Policies.Select(policy => new
                {
                    hash = policy.Hash,
                    loaded_at = policy.LoadedAt,
                    loaded_before_the_period = policy.LoadedAt is null,
                    source = policy.Source,
                    rule_count = policy.RuleCount,
                    replaced = policy.Replaced,
                    trigger = policy.Trigger,
                    decisions = policy.Decisions,
                }),
                refused_loads = policies.Refused,
            },
        };
    }

    private static object Grant(GrantSeen grant) => new
    {
        grant_id = grant.Id,
        holder = grant.Holder,
        requested_by = grant.RequestedBy,
        server = grant.Server,
        tools = grant.Tools,
        rule = grant.Rule,
        policy_hash = grant.PolicyHash,
        break_glass = grant.BreakGlass,
        requested_at = grant.RequestedAt,
        approvers = grant.Approvers,
        approver_differs_from_holder = !grant.SelfApproved,
        flagged = grant.SelfApproved ? "approved or reviewed by its holder or requester" : null,
        starts_at = grant.StartsAt,
        expires_at = grant.ExpiresAt,
        ended_as = grant.EndedAs,
        ended_by = grant.EndedBy,
        state = grant.State,
        calls = grant.Uses,
    };
}
