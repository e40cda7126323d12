using Proctor.Approvals.Evidence;
using Proctor.Approvals.Grants;
using Proctor.Approvals.Rules;
using Proctor.Configuration.Models;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pipeline;
using Proctor.Policy;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Approvals;

/// <summary>
/// Turns what someone asks for (a server, tools, a duration, a reason) into a <see cref="GrantDraft"/>, asking the policy
/// which grant rule lets them have it (decision 0041), for every surface (REST, the CLI). Every tool must be covered by
/// one and the same grant rule for this caller: that rule's approvers decide, and its id and the policy hash are recorded.
/// </summary>
public static class GrantRequests
{
    /// <param name="reason">Already masked by the surface (free text).</param>
    public static (GrantDraft? Draft, ApprovalRefusal? Refusal) Draft(PolicyModel policy, IdentitySettings? identity, Caller requester, string server, IReadOnlyList<string> tools, TimeSpan duration, string reason, string? ticket)
    {
        var caller = PolicyCallers.Of(requester, identity);
        PolicyDecision? rule = null;
        var distinct = tools.Distinct(StringComparer.Ordinal).ToArray();
        foreach (var tool in distinct)
        {
            if (policy.GrantRuleFor(caller, PolicyTarget.Tool(server, tool)) is not { } covering)
            {
                return (null, new ApprovalRefusal(ApprovalRefusal.NotGrantable,
                    $"No policy rule with effect grant lets '{requester.Subject}' have {server}/{tool}; a grant can only cover what such a rule names (docs/access.md). Ask the policy's owner, or check the server and tool names."));
            }

            if (rule is not null && rule.RuleId != covering.RuleId)
            {
                return (null, new ApprovalRefusal(ApprovalRefusal.InvalidRequest,
                    $"{server}/{distinct[0]} is granted under rule '{rule.RuleId}' and {server}/{tool} under '{covering.RuleId}', which may have other approvers; ask for them in separate requests."));
            }

            rule = covering;
        }

        if (rule is null)
        {
            return (null, new ApprovalRefusal(ApprovalRefusal.InvalidRequest, $"The request names no tool on server '{server}'; name each tool needed, e.g. --tool run_sql."));
        }

        var requirement = rule.Approval ?? new ApprovalRequirement([], 1);
        var groups = CallApprovals.ApproverGroups(requirement, identity);
        if (groups.Count == 0)
        {
            return (null, new ApprovalRefusal(ApprovalRefusal.NotAnApprover,
                $"Rule '{rule.RuleId}' names no approver groups and no group holds the approver role, so nobody could approve this grant. Ask the policy's owner to add approval: {{ approvers: [GROUP] }} to the rule."));
        }

        return (new GrantDraft(requester.Key, requester.Subject, server, distinct, duration, reason)
        {
            Ticket = ticket,
            Rule = rule.RuleId,
            PolicyHash = rule.PolicyHash,
            ApproverGroups = groups,
            MinApprovals = requirement.MinApprovals,
        }, null);
    }

    /// <summary>Whether <paramref name="person"/> holds the <c>breakglass</c> role (identity.roles.breakglass).</summary>
    public static ApprovalRefusal? WhyNotBreakGlass(IdentitySettings? identity, Caller person) =>
        identity?.Grants(IdentityRoles.BreakGlass, person.Groups) == true ? null
            : new ApprovalRefusal(ApprovalRefusal.NotBreakGlass,
                $"'{person.Subject}' does not hold the breakglass role (groups: {(person.Groups.Count == 0 ? "none" : string.Join(", ", person.Groups))}); identity.roles.breakglass names the groups that may break the glass. Ask for a grant instead: proctor access request.");

    /// <summary>The person acting, as the ledger records actors.</summary>
    public static ApprovalActor Actor(Caller person, string via, string? @operator = null) => new(person.Subject)
    {
        Issuer = person.Issuer,
        Groups = person.Groups,
        AuthMethod = person.AuthenticationMethod,
        AuthenticationMethods = person.AuthenticationMethods,
        SourceAddress = person.SourceAddress?.ToString(),
        Via = via,
        Operator = @operator,
    };
}
