using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Approvals.Rules;

namespace Proctor.Approvals.Requests;

/// <summary>
/// A request as approvers read it, the same for the REST API and <c>proctor approvals --json</c> (docs/api.md): who asks,
/// what (server, tool, masked arguments), why (the rule and the caller's justification), who may decide, and what
/// happened. The state is the one at the time of reading (a request past its window shows as expired). The arguments
/// digest is never shown (decision 0037).
/// </summary>
public static class ApprovalJson
{
    public static JsonObject Of(ApprovalRequest request, DateTimeOffset now) => new()
    {
        ["id"] = request.Id,
        ["state"] = ApprovalStates.Name(ApprovalRules.StateAt(request, now)),
        ["requester"] = request.Requester,
        ["server"] = request.Binding.Server,
        ["tool"] = request.Binding.Tool,
        ["arguments"] = JsonNode.Parse(request.MaskedArguments),
        ["justification"] = request.Justification,
        ["rule"] = request.Binding.Rule,
        ["reason"] = request.Reason,
        ["policy_hash"] = request.Binding.PolicyHash,
        ["approver_groups"] = new JsonArray([.. request.ApproverGroups.Select(g => (JsonNode)g)]),
        ["min_approvals"] = request.MinApprovals,
        ["approvals"] = new JsonArray([.. request.Approvals.Select(v => (JsonNode)Vote(v))]),
        ["denial"] = request.Denial is { } denial ? Vote(denial) : null,
        ["created_at"] = Time(request.CreatedAt),
        ["expires_at"] = Time(request.ExpiresAt),
        ["used_at"] = request.UsedAt is { } used ? Time(used) : null,
        ["used_by_call"] = request.UsedByCall,
    };

    public static JsonArray List(IEnumerable<ApprovalRequest> requests, DateTimeOffset now) => new([.. requests.Select(r => (JsonNode)Of(r, now))]);

    private static JsonObject Vote(ApprovalVote vote) => new()
    {
        ["approver"] = vote.Subject,
        ["at"] = Time(vote.At),
        ["comment"] = vote.Comment,
        ["via"] = vote.Via,
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
