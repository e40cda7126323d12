using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Approvals;

/// <summary>
/// Maker-checker end to end (docs/approvals.md): the real gateway, the real sample bank behind it, a real OpenID provider,
/// the C# SDK as the analyst's client, and the approver acting through the real <c>proctor</c> binary or the REST API.
/// "The bank saw it once" is read from the bank itself: the source account's balance moves by the amount exactly once.
/// </summary>
public sealed class ApprovalFlowTests
{
    [Fact]
    public async Task HeldTransfer_ApprovedThroughTheCliDuringTheHold_RunsOnceAndTheBankSeesItOnce()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "20s");
        await using var analyst = await bank.ConnectAsync("analyst");
        var before = await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From);
        var progress = new ProgressLog();

        var call = analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts), progress).AsTask();
        var request = await bank.PendingAsync();
        var (exit, output) = await ProctorCli.RunAsync("approvals", "approve", request.Id, "--token", await bank.TokenAsync("supervisor"), "--comment", "checked with treasury", "--config", bank.CliConfig);
        var result = await call.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exit == 0, output);
        Assert.Contains($"Approved {request.Id} as bob", output, StringComparison.Ordinal);
        Assert.NotEqual(true, result.IsError);
        Assert.Contains("TRF-", Clients.Text(result) + result.StructuredContent, StringComparison.Ordinal);
        Assert.Equal(before - ApprovalBank.Amount, await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From));
        Assert.NotEmpty(progress.Messages);
        Assert.StartsWith($"Waiting for approval {request.Id}", progress.Messages[0], StringComparison.Ordinal);

        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        var approval = events.Where(e => ((string?)e["kind"])!.StartsWith("approval.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["approval.request", "approval.approve", "approval.use"], approval.Select(e => (string?)e["kind"]));
        Assert.All(approval, e => Assert.Equal(request.Id, (string?)e["details"]!["approval_id"]));
        Assert.Equal(("alice", "bob", "cli"), ((string?)approval[0]["actor"]!["subject"], (string?)approval[1]["actor"]!["subject"], (string?)approval[1]["details"]!["via"]));
        Assert.StartsWith("cli:", (string?)approval[1]["details"]!["operator"], StringComparison.Ordinal);
        var forwarded = Assert.Single(events, e => (string?)e["kind"] == "call.request" && (string?)e["action"]?["name"] == "transfer_funds");
        Assert.Equal((string?)forwarded["call_id"], (string?)approval[2]["call_id"]);
        var session = (string)forwarded["location"]!["session_id"]!;
        Assert.Equal(session, (string?)approval[0]["location"]!["session_id"]);
        var (replayed, replay) = await ProctorCli.RunAsync("sessions", "replay", session, "--speed", "0", "--config", bank.CliConfig);
        Assert.True(replayed == 0, replay);
        Assert.Matches(@"approval\.request[^\n]*transfer_funds[\s\S]*approval\.use[\s\S]*call\.request[^\n]*transfer_funds", replay); // the hold and its release, in the conversation
    }

    [Fact]
    public async Task HeldTransfer_DeniedThroughTheCli_RefusedAndNeverForwarded()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "20s");
        await using var analyst = await bank.ConnectAsync("analyst");
        var before = await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From);

        var call = analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts)).AsTask();
        var request = await bank.PendingAsync();
        var (exit, output) = await ProctorCli.RunAsync("approvals", "deny", request.Id, "--token", await bank.TokenAsync("supervisor"), "--comment", "not this quarter", "--config", bank.CliConfig);
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.True(exit == 0, output);
        Assert.Contains("Denied by bob: not this quarter.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From));
        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        Assert.DoesNotContain(events, e => (string?)e["kind"] == "call.request" && (string?)e["action"]?["name"] == "transfer_funds");
        Assert.Single(events, e => (string?)e["kind"] == "approval.deny");
        Assert.Single(events, e => LedgerEvents.Reason(e) == "approval.denied");
    }

    [Fact]
    public async Task Timeout_ThenApprovedOverRest_RetryRunsOnce_ASecondRetryIsHeldAgain()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "1s");
        await using var analyst = await bank.ConnectAsync("analyst");
        var before = await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From);

        var first = await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
        var id = ApprovalId(first);
        var (listStatus, pending) = await bank.GetOverRestAsync("/api/approvals?state=pending", "auditor");
        var (shownStatus, _) = await bank.GetOverRestAsync($"/api/approvals/{id}", "analyst");
        var (selfStatus, selfBody) = await bank.DecideOverRestAsync(id, "approve", "analyst");
        var (status, body) = await bank.DecideOverRestAsync(id, "approve", "supervisor", comment: "ok");
        var retry = await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
        var again = await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));

        Assert.True(first.IsError);
        Assert.Contains("call transfer_funds again with exactly the same arguments", Clients.Text(first), StringComparison.Ordinal);
        Assert.Equal((200, 403), (listStatus, shownStatus)); // auditors read requests; the analyst holds none of the roles
        var listed = Assert.Single(pending.AsArray())!;
        Assert.Equal((id, "alice", "transfer_funds"), ((string?)listed["id"], (string?)listed["requester"], (string?)listed["tool"]));
        Assert.DoesNotContain(bank.Accounts.From, listed["arguments"]!.ToJsonString(), StringComparison.Ordinal); // approvers read masked arguments
        Assert.Equal((403, "insufficient_role"), (selfStatus, (string?)selfBody["error"])); // the analyst holds no approver role
        Assert.Equal((200, "approved"), (status, (string?)body["state"]));
        Assert.NotEqual(true, retry.IsError);
        Assert.True(again.IsError);
        Assert.NotEqual(id, ApprovalId(again));
        Assert.Equal(before - ApprovalBank.Amount, await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From));
        var (reread, used) = await bank.DecideOverRestAsync(id, "approve", "supervisor");
        Assert.Equal((409, "not_pending"), (reread, (string?)used["error"]));
    }

    [Fact]
    public async Task Rest_TheRequesterIsAnApprover_CannotApproveTheirOwnCall()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "1s");
        await using var supervisor = await bank.ConnectAsync("supervisor");

        var held = await supervisor.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
        var (status, body) = await bank.DecideOverRestAsync(ApprovalId(held), "approve", "supervisor");
        var (cliExit, cliOutput) = await ProctorCli.RunAsync("approvals", "approve", ApprovalId(held), "--token", await bank.TokenAsync("supervisor"), "--config", bank.CliConfig);

        Assert.Equal((403, "self_approval"), (status, (string?)body["error"]));
        Assert.Equal(1, cliExit);
        Assert.Contains("cannot approve or deny it", cliOutput, StringComparison.Ordinal);
        var (listed, list) = await ProctorCli.RunAsync("approvals", "list", "--json", "--config", bank.CliConfig);
        Assert.True(listed == 0, list);
        Assert.Equal("pending", (string?)JsonNode.Parse(list)!.AsArray().Single()!["state"]);
    }

    [Fact]
    public async Task ApprovalGivenWhileTheGatewayIsDown_RetryAfterTheRestartRunsOnce()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "1s");
        string id;
        await using (var analyst = await bank.ConnectAsync("analyst"))
        {
            id = ApprovalId(await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts)));
        }

        var supervisorToken = await bank.TokenAsync("supervisor");
        var approved = (0, "");
        await bank.RestartAsync("1s", whileDown: async () => approved = await ProctorCli.RunAsync("approvals", "approve", id, "--token", supervisorToken, "--config", bank.CliConfig));
        await using var afterRestart = await bank.ConnectAsync("analyst");
        var before = await ApprovalBank.BalanceAsync(afterRestart, bank.Accounts.From);
        var retry = await afterRestart.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
        var again = await afterRestart.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));

        Assert.True(approved.Item1 == 0, approved.Item2);
        Assert.NotEqual(true, retry.IsError);
        Assert.True(again.IsError);
        Assert.Equal(before - ApprovalBank.Amount, await ApprovalBank.BalanceAsync(afterRestart, bank.Accounts.From));
        var used = Assert.Single(await LedgerEvents.ReadAsync(bank.DatabasePath, "approval.use"));
        Assert.Equal(id, (string?)used["details"]!["approval_id"]);
    }

    private static string ApprovalId(CallToolResult result) =>
        (string?)JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(result.Meta))?["proctor/approval"]?["id"]
            ?? throw new InvalidOperationException($"The result carries no approval id: {Clients.Text(result)}");

    /// <summary>Collects progress messages as the SDK reports them (synchronously, unlike <see cref="Progress{T}"/>).</summary>
    private sealed class ProgressLog : IProgress<ProgressNotificationValue>
    {
        private readonly List<string> _messages = [];

        public IReadOnlyList<string> Messages
        {
            get
            {
                lock (_messages)
                {
                    return [.. _messages];
                }
            }
        }

        public void Report(ProgressNotificationValue value)
        {
            lock (_messages)
            {
                _messages.Add(value.Message ?? "");
            }
        }
    }
}
