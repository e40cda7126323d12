using System.Text.Json;
using Proctor.Ledger.Events;

namespace Proctor.Evidence.Tests.Reports;

public sealed class AccessReportTests
{
    [Fact]
    public async Task Write_ApprovalByAnotherIdentity_ShowsApproverDiffersAndNoFlag()
    {
        var events = new GatewayEvents()
            .Approval(EventKinds.ApprovalRequest, "ap-1", "alice", "alice", "payments", "transfer", "pending", "month-end run")
            .Approval(EventKinds.ApprovalApprove, "ap-1", "bob", "alice", "payments", "transfer", "approved")
            .Approval(EventKinds.ApprovalUse, "ap-1", "alice", "alice", "payments", "transfer", "used");

        var access = (await ReportHarness.RunAsync(events.Events)).Json("reports/access.json");

        var approval = access.GetProperty("approvals").GetProperty("items")[0];
        Assert.Equal("alice", approval.GetProperty("requester").GetString());
        Assert.Equal("bob", approval.GetProperty("approvers")[0].GetProperty("subject").GetString());
        Assert.True(approval.GetProperty("approver_differs_from_requester").GetBoolean());
        Assert.Equal(JsonValueKind.Null, approval.GetProperty("flagged").ValueKind);
        Assert.Equal("call-approved", approval.GetProperty("used_by_call").GetString());
        Assert.Equal(0, access.GetProperty("approvals").GetProperty("approver_is_requester").GetInt32());
    }

    [Fact]
    public async Task Write_ApproverIsRequester_FlagsItInAccessSummaryAndHtml()
    {
        var events = new GatewayEvents()
            .Approval(EventKinds.ApprovalRequest, "ap-1", "alice", "alice", "payments", "transfer", "pending")
            .Approval(EventKinds.ApprovalApprove, "ap-1", "bob", "alice", "payments", "transfer", "approved")
            .Approval(EventKinds.ApprovalRequest, "ap-2", "carol", "carol", "payments", "transfer", "pending")
            .Approval(EventKinds.ApprovalApprove, "ap-2", "carol", "carol", "payments", "transfer", "approved");

        var files = await ReportHarness.RunAsync(events.Events);

        var approvals = files.Json("reports/access.json").GetProperty("approvals");
        Assert.Equal(1, approvals.GetProperty("approver_is_requester").GetInt32());
        var flagged = approvals.GetProperty("items").EnumerateArray().Single(item => item.GetProperty("flagged").ValueKind == JsonValueKind.String);
        Assert.Equal("ap-2", flagged.GetProperty("approval_id").GetString());
        Assert.False(flagged.GetProperty("approver_differs_from_requester").GetBoolean());
        Assert.Equal(1, files.Json("reports/summary.json").GetProperty("figures").GetProperty("approvals_where_approver_is_requester").GetInt32());
        Assert.Contains("1 approval(s) where an approver was the requester", files["reports/report.html"]);
    }

    [Fact]
    public async Task Write_GrantWithCalls_CountsOnlyCallsInsideItsWindow()
    {
        var events = new GatewayEvents();
        var start = events.Now.AddSeconds(3);
        var end = start.AddMinutes(30);
        events.Grant(EventKinds.GrantRequest, "g-1", "dave", "dave", "payments", "requested")
            .Grant(EventKinds.GrantApprove, "g-1", "erin", "dave", "payments", "active", startsAt: start, expiresAt: end)
            .Call("dave", "payments", "transfer", "s-9", reason: "policy.grant_required")
            .Call("dave", "payments", "transfer", "s-9", reason: "policy.grant_required")
            .Wait(TimeSpan.FromHours(1))
            .Call("dave", "payments", "transfer", "s-9", reason: "policy.grant_required")
            .Grant(EventKinds.GrantExpire, "g-1", "proctor:gateway", "dave", "payments", "expired", startsAt: start, expiresAt: end);

        var grants = (await ReportHarness.RunAsync(events.Events)).Json("reports/access.json").GetProperty("grants");

        var grant = grants.GetProperty("items")[0];
        Assert.Equal(2, grant.GetProperty("calls").GetInt64());
        Assert.Equal("expired", grant.GetProperty("ended_as").GetString());
        Assert.Equal("erin", grant.GetProperty("approvers")[0].GetProperty("subject").GetString());
        Assert.True(grant.GetProperty("approver_differs_from_holder").GetBoolean());
        var outside = grants.GetProperty("calls_under_grants_from_before_the_period")[0];
        Assert.Equal(("dave", "payments", 1L), (outside.GetProperty("holder").GetString(), outside.GetProperty("server").GetString(), outside.GetProperty("calls").GetInt64()));
    }

    [Fact]
    public async Task Write_BreakGlass_ShowsReviewOpenUntilClosedAndFlagsSelfReview()
    {
        var events = new GatewayEvents();
        var start = events.Now;
        events.Grant(EventKinds.BreakGlassOpen, "g-bg", "frank", "frank", "core", "active", breakGlass: true, startsAt: start, expiresAt: start.AddHours(1), reason: "outage INC-1")
            .Grant(EventKinds.ReviewOpen, "g-bg", "frank", "frank", "core", "active", breakGlass: true, reviewId: "r-1", outcome: "open")
            .Grant(EventKinds.BreakGlassOpen, "g-bg2", "gina", "gina", "core", "active", breakGlass: true, startsAt: start, expiresAt: start.AddHours(1), reason: "outage INC-2")
            .Grant(EventKinds.ReviewOpen, "g-bg2", "gina", "gina", "core", "active", breakGlass: true, reviewId: "r-2", outcome: "open")
            .Grant(EventKinds.ReviewClose, "g-bg2", "gina", "gina", "core", "active", breakGlass: true, reviewId: "r-2", outcome: "closed");

        var files = await ReportHarness.RunAsync(events.Events);

        var breakGlass = files.Json("reports/access.json").GetProperty("break_glass").EnumerateArray().ToDictionary(item => item.GetProperty("grant_id").GetString()!);
        Assert.True(breakGlass["g-bg"].GetProperty("review_open").GetBoolean());
        Assert.Equal("outage INC-1", breakGlass["g-bg"].GetProperty("reason").GetString());
        Assert.False(breakGlass["g-bg2"].GetProperty("review_open").GetBoolean());
        Assert.Equal("reviewed by its holder", breakGlass["g-bg2"].GetProperty("flagged").GetString());
        var figures = files.Json("reports/summary.json").GetProperty("figures");
        Assert.Equal(2, figures.GetProperty("break_glass_uses").GetInt32());
        Assert.Equal(1, figures.GetProperty("break_glass_reviews_open").GetInt32());
    }

    [Fact]
    public async Task Write_DenialsAndPolicyLoads_CountsByReasonAndListsEveryHashDecisionsName()
    {
        var events = new GatewayEvents()
            .Call("alice", "crm", "lookup", "s-1", policyHash: "sha256:policy-old")
            .PolicyLoaded("sha256:policy-a", replaced: "sha256:policy-old")
            .PolicyRefused(inForce: "sha256:policy-a")
            .Refused("alice", "crm", "delete", "policy.tool_not_allowed")
            .Refused("mallory", "crm", "delete", "policy.tool_not_allowed")
            .Refused("mallory", "crm", "export", "identity.mfa_required")
            .Approval(EventKinds.ApprovalDeny, "ap-9", "bob", "mallory", "payments", "transfer", "denied");

        var access = (await ReportHarness.RunAsync(events.Events)).Json("reports/access.json");

        var byReason = access.GetProperty("denials").GetProperty("by_reason").EnumerateArray()
            .ToDictionary(item => item.GetProperty("reason").GetString()!, item => item.GetProperty("count").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["approval.deny"] = 1, ["identity.mfa_required"] = 1, ["policy.tool_not_allowed"] = 2 }, byReason);
        Assert.Equal(4, access.GetProperty("denials").GetProperty("total").GetInt64());
        var policies = access.GetProperty("policies").GetProperty("in_force").EnumerateArray().ToDictionary(item => item.GetProperty("hash").GetString()!);
        Assert.True(policies["sha256:policy-old"].GetProperty("loaded_before_the_period").GetBoolean());
        Assert.Equal(2, policies["sha256:policy-old"].GetProperty("decisions").GetInt64());
        Assert.Equal("sha256:policy-old", policies["sha256:policy-a"].GetProperty("replaced").GetString());
        Assert.Equal(3, policies["sha256:policy-a"].GetProperty("rule_count").GetInt64());
        Assert.Equal("sha256:policy-a", access.GetProperty("policies").GetProperty("refused_loads")[0].GetProperty("kept_in_force").GetString());
    }

    [Fact]
    public async Task Write_Identities_ListsEachWithItsCallsAndAuthentication()
    {
        var events = new GatewayEvents()
            .Call("alice", "crm", "lookup", "s-1", amr: ["pwd", "otp"])
            .Call("alice", "crm", "lookup", "s-1", amr: ["pwd", "otp"])
            .Call("bob", "crm", "lookup", "s-2");

        var files = await ReportHarness.RunAsync(events.Events);

        var identities = files.Json("reports/access.json").GetProperty("identities").EnumerateArray().ToDictionary(item => item.GetProperty("subject").GetString()!);
        Assert.Equal(2, identities["alice"].GetProperty("calls").GetInt64());
        Assert.Equal(["otp", "pwd"], identities["alice"].GetProperty("amr").EnumerateArray().Select(item => item.GetString()!));
        Assert.Equal(0, identities["bob"].GetProperty("amr").GetArrayLength());
        Assert.Equal(1, files.Json("reports/summary.json").GetProperty("figures").GetProperty("identities_without_amr").GetInt32());
    }
}
