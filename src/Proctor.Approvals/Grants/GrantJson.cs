using System.Globalization;
using System.Text.Json.Nodes;
using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Grants;

/// <summary>A grant and a review as people read them, the same for the REST API and <c>proctor access|reviews --json</c> (docs/api.md). The state is the one at the time of reading.</summary>
public static class GrantJson
{
    public static JsonObject Of(AccessGrant grant, DateTimeOffset now) => new()
    {
        ["id"] = grant.Id,
        ["state"] = GrantStates.Name(GrantRules.StateAt(grant, now)),
        ["holder"] = grant.Holder,
        ["server"] = grant.Server,
        ["tools"] = Strings(grant.Tools),
        ["reason"] = grant.Reason,
        ["ticket"] = grant.Ticket,
        ["duration_seconds"] = (long)grant.Duration.TotalSeconds,
        ["break_glass"] = grant.BreakGlass,
        ["rule"] = grant.Rule,
        ["policy_hash"] = grant.PolicyHash,
        ["approver_groups"] = Strings(grant.ApproverGroups),
        ["min_approvals"] = grant.MinApprovals,
        ["approvals"] = new JsonArray([.. grant.Approvals.Select(v => (JsonNode)Vote(v))]),
        ["ended_by"] = grant.Ending is { } ending ? Vote(ending) : null,
        ["created_at"] = Time(grant.CreatedAt),
        ["decide_by"] = grant.State == GrantState.Pending ? Time(grant.DecideBy) : null,
        ["starts_at"] = grant.StartsAt is { } start ? Time(start) : null,
        ["expires_at"] = grant.ExpiresAt is { } end ? Time(end) : null,
    };

    public static JsonObject Of(AccessReview review) => new()
    {
        ["id"] = review.Id,
        ["state"] = review.IsOpen ? "open" : "closed",
        ["grant_id"] = review.GrantId,
        ["holder"] = review.Holder,
        ["server"] = review.Server,
        ["tools"] = Strings(review.Tools),
        ["reason"] = review.Reason,
        ["reviewer_groups"] = Strings(review.ReviewerGroups),
        ["opened_at"] = Time(review.OpenedAt),
        ["closed_by"] = review.Closure is { } closure ? Vote(closure) : null,
    };

    private static JsonArray Strings(IReadOnlyList<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static JsonObject Vote(ApprovalVote vote) => new()
    {
        ["by"] = vote.Subject,
        ["at"] = Time(vote.At),
        ["comment"] = vote.Comment,
        ["via"] = vote.Via,
    };

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
