using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Access;

/// <summary>
/// Just-in-time access end to end (docs/access.md): the real gateway and sample bank, a real OpenID provider, the C# SDK
/// as the analyst's client, and the approver acting through the real <c>proctor</c> binary or the REST API. Mid-session
/// changes are seen by the client itself: the tool appears and disappears from its list, announced by list_changed.
/// </summary>
public sealed partial class GrantFlowTests
{
    [Fact]
    public async Task Grant_ApprovedThroughTheCli_LetsTheCallRun_ThenExpiresMidSession_RefusedListChangedAndHidden()
    {
        await using var bank = await GrantBank.StartAsync();
        var (analyst, changes) = await bank.ConnectAsync("analyst");
        await using var _ = analyst;

        var before = await Assert.ThrowsAsync<McpProtocolException>(() => GrantBank.QueryAsync(analyst));
        var listedBefore = await GrantBank.ListsSqlAsync(analyst);
        var (asked, askOutput) = await ProctorCli.RunAsync("access", "request", "--server", "bank", "--tool", "run_sql", "--duration", "1m", "--reason", "CHG-7: month-end reconciliation",
            "--token", await bank.TokenAsync("analyst"), "--config", bank.CliConfig);
        Assert.True(asked == 0, askOutput);
        var id = GrantId().Match(askOutput).Groups[1].Value;
        var (self, selfOutput) = await ProctorCli.RunAsync("access", "approve", id, "--token", await bank.TokenAsync("analyst"), "--config", bank.CliConfig);
        var (approved, approveOutput) = await ProctorCli.RunAsync("access", "approve", id, "--token", await bank.TokenAsync("supervisor"), "--comment", "ok for today", "--config", bank.CliConfig);
        Assert.True(approved == 0, approveOutput);
        await bank.TickUntilAsync(() => !changes.IsEmpty);
        var listedDuring = await GrantBank.ListsSqlAsync(analyst);
        var during = await GrantBank.QueryAsync(analyst);

        var grant = await bank.GrantAsync(id);
        var seen = changes.Count;
        bank.Clock.SetUtcNow(grant.ExpiresAt!.Value.AddSeconds(1));
        var after = await Assert.ThrowsAsync<McpProtocolException>(() => GrantBank.QueryAsync(analyst)); // refused at once: no refresh needed
        await bank.TickUntilAsync(() => changes.Count > seen);
        var listedAfter = await GrantBank.ListsSqlAsync(analyst);

        Assert.Contains("needs a just-in-time access grant", before.Message, StringComparison.Ordinal);
        Assert.Contains("proctor access request --server bank --tool run_sql", before.Message, StringComparison.Ordinal);
        Assert.False(listedBefore);
        Assert.Equal(1, self); // the requester cannot approve (and holds no approver role)
        Assert.Contains("approver role", selfOutput, StringComparison.Ordinal);
        Assert.True(listedDuring);
        Assert.NotEqual(true, during.IsError);
        Assert.Contains("You hold no active grant", after.Message, StringComparison.Ordinal);
        Assert.False(listedAfter);
        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        var grantEvents = events.Where(e => ((string?)e["kind"])!.StartsWith("grant.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["grant.request", "grant.approve", "grant.expire"], grantEvents.Select(e => (string?)e["kind"]));
        Assert.All(grantEvents, e => Assert.Equal(id, (string?)e["details"]!["grant_id"]));
        Assert.Equal(("alice", "bob", "proctor:gateway"), ((string?)grantEvents[0]["actor"]!["subject"], (string?)grantEvents[1]["actor"]!["subject"], (string?)grantEvents[2]["actor"]!["subject"]));
        var ran = Assert.Single(events, e => (string?)e["kind"] == "call.request" && (string?)e["action"]?["name"] == "run_sql");
        Assert.Equal(("grant", "access.granted", "sql-under-grant"), ((string?)ran["decision"]!["effect"], (string?)ran["decision"]!["reason_code"], (string?)ran["decision"]!["rule"]));
        Assert.Equal(2, events.Count(e => (string?)e["kind"] == "call.refused" && LedgerEvents.Reason(e) == "policy.grant_required"));
    }

    [Fact]
    public async Task Grant_RequestedAndApprovedOverRest_RevokedThroughTheCli_NextCallRefusedAndListChanged()
    {
        await using var bank = await GrantBank.StartAsync();
        var (analyst, changes) = await bank.ConnectAsync("analyst");
        await using var _ = analyst;

        var (asked, grant) = await bank.PostAsync("/api/access", "analyst", new JsonObject { ["server"] = "bank", ["tools"] = new JsonArray("run_sql"), ["duration_seconds"] = 3600, ["reason"] = "INC-3 data fix" });
        var (tooLong, tooLongBody) = await bank.PostAsync("/api/access", "analyst", new JsonObject { ["server"] = "bank", ["tools"] = new JsonArray("run_sql"), ["duration_seconds"] = 9 * 3600, ["reason"] = "INC-3" });
        var (notGrantable, notGrantableBody) = await bank.PostAsync("/api/access", "analyst", new JsonObject { ["server"] = "bank", ["tools"] = new JsonArray("transfer_funds"), ["duration_seconds"] = 60, ["reason"] = "x" });
        var id = (string)grant["id"]!;
        var (approved, approvedBody) = await bank.PostAsync($"/api/access/{id}/approve", "supervisor");
        await bank.TickUntilAsync(() => !changes.IsEmpty);
        var during = await GrantBank.QueryAsync(analyst);
        var seen = changes.Count;
        var (revoked, revokeOutput) = await ProctorCli.RunAsync("access", "revoke", id, "--token", await bank.TokenAsync("supervisor"), "--comment", "fix done", "--config", bank.CliConfig);
        await bank.TickUntilAsync(() => changes.Count > seen);
        var after = await Assert.ThrowsAsync<McpProtocolException>(() => GrantBank.QueryAsync(analyst));

        Assert.Equal((201, "pending"), (asked, (string?)grant["state"]));
        Assert.Equal((400, "too_long"), (tooLong, (string?)tooLongBody["error"]));
        Assert.Contains("access.maxDuration", (string?)tooLongBody["message"], StringComparison.Ordinal);
        Assert.Equal((403, "not_grantable"), (notGrantable, (string?)notGrantableBody["error"]));
        Assert.Equal((200, "active"), (approved, (string?)approvedBody["state"]));
        Assert.NotEqual(true, during.IsError);
        Assert.True(revoked == 0, revokeOutput);
        Assert.Contains("You hold no active grant", after.Message, StringComparison.Ordinal);
        Assert.False(await GrantBank.ListsSqlAsync(analyst));
        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        Assert.Equal(["grant.request", "grant.approve", "grant.revoke"], events.Select(e => (string?)e["kind"]).Where(k => k!.StartsWith("grant.", StringComparison.Ordinal)));
        Assert.Single(events, e => (string?)e["kind"] == "call.refused" && LedgerEvents.Reason(e) == "policy.grant_required");
    }

    [Fact]
    public async Task BreakGlass_WorksAtOnce_OpensAReviewTheMetricCounts_TheHolderCannotClose_AnotherPersonCloses()
    {
        await using var bank = await GrantBank.StartAsync();
        var (analyst, _) = await bank.ConnectAsync("analyst");
        await using var __ = analyst;

        var (opened, openOutput) = await ProctorCli.RunAsync("access", "break-glass", "--server", "bank", "--tool", "run_sql", "--duration", "30m", "--reason", "INC-9: ledger totals wrong",
            "--token", await bank.TokenAsync("analyst"), "--config", bank.CliConfig);
        Assert.True(opened == 0, openOutput);
        var reviewId = ReviewId().Match(openOutput).Groups[1].Value;
        await bank.TickUntilAsync(() => GrantBank.ListsSqlAsync(analyst).GetAwaiter().GetResult());
        var during = await GrantBank.QueryAsync(analyst);
        await MetricsScrape.WaitForAsync(bank.Gateway, @"proctor_open_reviews(\{[^}]*\})? 1\b");
        var (listed, list) = await ProctorCli.RunAsync("reviews", "list", "--json", "--config", bank.CliConfig);
        var (self, selfBody) = await bank.PostAsync($"/api/reviews/{reviewId}/close", "analyst", new JsonObject { ["comment"] = "all fine" });
        var (noComment, noCommentOutput) = await ProctorCli.RunAsync("reviews", "close", reviewId, "--comment", " ", "--token", await bank.TokenAsync("supervisor"), "--config", bank.CliConfig);
        var (closed, closeOutput) = await ProctorCli.RunAsync("reviews", "close", reviewId, "--comment", "queries matched INC-9", "--token", await bank.TokenAsync("supervisor"), "--config", bank.CliConfig);
        bank.Clock.Advance(TimeSpan.FromSeconds(1));
        await MetricsScrape.WaitForAsync(bank.Gateway, @"proctor_open_reviews(\{[^}]*\})? 0\b");

        Assert.NotEqual(true, during.IsError);
        Assert.True(listed == 0, list);
        Assert.Equal(reviewId, (string?)JsonNode.Parse(list)!.AsArray().Single()!["id"]);
        Assert.Equal(403, self); // the holder: no approver role, and never their own review
        Assert.Equal(1, noComment);
        Assert.Contains("needs a comment", noCommentOutput, StringComparison.Ordinal);
        Assert.True(closed == 0, closeOutput);
        var kinds = (await LedgerEvents.ReadAsync(bank.DatabasePath)).Select(e => (string?)e["kind"]).Where(k => k is "breakglass.open" or "review.open" or "review.close");
        Assert.Equal(["breakglass.open", "review.open", "review.close"], kinds);
    }

    [Fact]
    public async Task Grant_ApprovedThenGatewayRestarted_StillWorksFromTheFirstCall()
    {
        await using var bank = await GrantBank.StartAsync();
        var (_, grant) = await bank.PostAsync("/api/access", "analyst", new JsonObject { ["server"] = "bank", ["tools"] = new JsonArray("run_sql"), ["duration_seconds"] = 3600, ["reason"] = "CHG-8" });
        var (approved, _) = await bank.PostAsync($"/api/access/{(string)grant["id"]!}/approve", "supervisor");

        await bank.RestartAsync();
        var (analyst, _) = await bank.ConnectAsync("analyst");
        await using var __ = analyst;
        var listed = await GrantBank.ListsSqlAsync(analyst); // the clock has not moved: the grant was read at start
        var after = await GrantBank.QueryAsync(analyst);

        Assert.Equal(200, approved);
        Assert.True(listed);
        Assert.NotEqual(true, after.IsError);
    }

    [GeneratedRegex(@"Requested grant ([0-9a-f-]{36})")]
    private static partial Regex GrantId();

    [GeneratedRegex(@"Review ([0-9a-f-]{36}) is open")]
    private static partial Regex ReviewId();
}
