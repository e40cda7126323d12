using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Approvals;

/// <summary>
/// Approvals for 2026-07-28 callers and justifications by elicitation (decision 0042), end to end: the TypeScript SDK v2
/// client pinned to 2026-07-28 driving the multi round-trip itself (its elicitation handler is the "user" who accepts the
/// status page), the real sample bank, a real OpenID provider, and the approver acting through the real <c>proctor</c>
/// binary. "The bank saw it once" is read from the bank: the source balance moves by the amount exactly once.
/// </summary>
public sealed class ModernApprovalFlowTests
{
    private const string Ssn = "123-45-6789";

    private static JsonObject Transfer((string From, string To) accounts) =>
        JsonSerializer.SerializeToNode(ApprovalBank.Transfer(accounts))!.AsObject();

    [Fact]
    public async Task ModernClient_GetsTheStatusPage_ApprovedThroughTheCli_ItsRetryRunsOnceAndTheBankSeesItOnce()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "20s");
        await using var analyst = await bank.ConnectAsync("analyst");
        var before = await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From);
        await using var modern = await TypeScriptSession.ConnectAsync("v2", bank.Gateway.Mcp(), await bank.TokenAsync("analyst"), new JsonObject { ["url"] = "accept" });
        Assert.Equal("2026-07-28", modern.ProtocolVersion);

        var call = modern.CallToolAsync("bank__transfer_funds", Transfer(bank.Accounts));
        var request = await bank.PendingAsync();
        await Eventually.TrueAsync(() => Task.FromResult(modern.Elicited.Count > 0), TimeSpan.FromSeconds(15));
        var page = await PageAsync(bank, request.Id, bearer: null);
        var (exit, output) = await ProctorCli.RunAsync("approvals", "approve", request.Id, "--token", await bank.TokenAsync("supervisor"), "--config", bank.CliConfig);
        var reply = await call;

        Assert.True(exit == 0, output);
        var asked = Assert.Single(modern.Elicited); // shown once; the retry waited for the decision
        Assert.Equal(("url", new Uri(new Uri(bank.Resource), $"/approvals/{request.Id}").ToString()), ((string?)asked["mode"], (string?)asked["url"]));
        Assert.Equal(200, page.Status);
        Assert.Contains("pending", page.Html, StringComparison.Ordinal);
        Assert.Contains($"proctor approvals approve {request.Id}", page.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", page.Html, StringComparison.Ordinal); // nothing about who or what without a token
        Assert.True(reply["result"] is JsonObject, reply.ToJsonString());
        Assert.NotEqual(true, (bool?)reply["result"]!["isError"]);
        Assert.Contains("TRF-", reply["result"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(before - ApprovalBank.Amount, await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From));

        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        var approval = events.Where(e => ((string?)e["kind"])!.StartsWith("approval.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["approval.request", "approval.approve", "approval.use"], approval.Select(e => (string?)e["kind"])); // as for a session's call
        Assert.Single(events, e => (string?)e["kind"] == "call.request" && (string?)e["action"]?["name"] == "transfer_funds");
        Assert.Contains(events, e => LedgerEvents.Reason(e) == "approval.pending"); // the input_required round
        Assert.DoesNotContain(events, e => (string?)e["kind"] == "call.request" && e.ToJsonString().Contains("proctor-approval.1.", StringComparison.Ordinal)); // the bank never received the gateway's state
        var detailed = await PageAsync(bank, request.Id, await bank.TokenAsync("supervisor"));
        Assert.Contains("alice", detailed.Html, StringComparison.Ordinal);
        Assert.Contains("used", detailed.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModernClient_DeniedThroughTheCli_ItsRetryIsRefusedAndNeverForwarded()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "20s");
        await using var analyst = await bank.ConnectAsync("analyst");
        var before = await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From);
        await using var modern = await TypeScriptSession.ConnectAsync("v2", bank.Gateway.Mcp(), await bank.TokenAsync("analyst"), new JsonObject { ["url"] = "accept" });

        var call = modern.CallToolAsync("bank__transfer_funds", Transfer(bank.Accounts));
        var request = await bank.PendingAsync();
        await Eventually.TrueAsync(() => Task.FromResult(modern.Elicited.Count > 0), TimeSpan.FromSeconds(15));
        var (exit, output) = await ProctorCli.RunAsync("approvals", "deny", request.Id, "--token", await bank.TokenAsync("supervisor"), "--comment", "not this quarter", "--config", bank.CliConfig);
        var reply = await call;

        Assert.True(exit == 0, output);
        Assert.True(reply["error"] is JsonObject, reply.ToJsonString());
        Assert.Contains("Denied by bob: not this quarter.", (string?)reply["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal(before, await ApprovalBank.BalanceAsync(analyst, bank.Accounts.From));
        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        Assert.DoesNotContain(events, e => (string?)e["kind"] == "call.request" && (string?)e["action"]?["name"] == "transfer_funds");
        Assert.Single(events, e => LedgerEvents.Reason(e) == "approval.denied");
    }

    [Fact]
    public async Task ModernClientShowingForms_AskedWhyFirst_TheRequestCarriesTheAnswerMasked()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "1s");
        await using var modern = await TypeScriptSession.ConnectAsync("v2", bank.Gateway.Mcp(), await bank.TokenAsync("analyst"),
            new JsonObject { ["url"] = "decline", ["justification"] = $"quarter close for customer {Ssn} <script>alert(1)</script>" });

        var reply = await modern.CallToolAsync("bank__transfer_funds", Transfer(bank.Accounts));
        var request = await bank.PendingAsync();

        Assert.Equal(["form", "url"], modern.Elicited.Select(e => (string?)e["mode"])); // why, then the page, which this user declines
        Assert.True((bool?)reply["result"]?["isError"], reply.ToJsonString()); // declined: told "not yet", the request stays
        Assert.StartsWith("quarter close for customer ", request.Justification, StringComparison.Ordinal);
        Assert.DoesNotContain(Ssn, request.Justification, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusPage_DetailsOnlyForTheRequesterAndTheRoles_TextEscaped_UnknownIdNotFound()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "1s");
        await using var modern = await TypeScriptSession.ConnectAsync("v2", bank.Gateway.Mcp(), await bank.TokenAsync("analyst"),
            new JsonObject { ["url"] = "decline", ["justification"] = "<script>alert(1)</script> quarter close" });
        await modern.CallToolAsync("bank__transfer_funds", Transfer(bank.Accounts));
        var request = await bank.PendingAsync();

        var requester = await PageAsync(bank, request.Id, await bank.TokenAsync("analyst"));
        var auditor = await PageAsync(bank, request.Id, await bank.TokenAsync("auditor"));
        var anonymous = await PageAsync(bank, request.Id, bearer: null);
        var forged = await PageAsync(bank, request.Id, bank.Provider.ForgeUnsigned(bank.Resource, "supervisor"));
        var unknown = await PageAsync(bank, "0190f0e0-0000-7000-8000-000000000000", bearer: null);

        Assert.Equal((200, 200, 200, 200, 404), (requester.Status, auditor.Status, anonymous.Status, forged.Status, unknown.Status));
        Assert.All([requester.Html, auditor.Html], html => Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; quarter close", html, StringComparison.Ordinal));
        Assert.All([requester.Html, auditor.Html, anonymous.Html, forged.Html], html => Assert.DoesNotContain("<script>", html, StringComparison.Ordinal));
        Assert.All([anonymous.Html, forged.Html], html => Assert.DoesNotContain("quarter close", html, StringComparison.Ordinal));
        Assert.All([anonymous.Html, forged.Html], html => Assert.Contains("transfers-above-10k-need-approval", html, StringComparison.Ordinal));
        Assert.Equal(2, (await LedgerEvents.ReadAsync(bank.DatabasePath, "audit.read")).Count(e => e.ToJsonString().Contains($"/approvals/{request.Id}", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SessionClientShowingForms_AskedWhyOnTheStream_CliShowsTheJustificationMasked()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "1s");
        var asked = new List<string>();
        await using var analyst = await Clients.ConnectAsync(bank.Gateway.Mcp(), "2025-11-25", options =>
            options.Handlers.ElicitationHandler = (request, _) =>
            {
                asked.Add(request!.Message);
                return ValueTask.FromResult(new ElicitResult
                {
                    Action = "accept",
                    Content = new Dictionary<string, JsonElement> { ["justification"] = JsonSerializer.SerializeToElement($"refund for customer {Ssn}") },
                });
            }, await bank.TokenAsync("analyst"));

        var result = await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
        var request = await bank.PendingAsync();
        var (exit, shown) = await ProctorCli.RunAsync("approvals", "show", request.Id, "--config", bank.CliConfig);

        Assert.True(result.IsError);
        Assert.Contains("transfers-above-10k-need-approval", Assert.Single(asked), StringComparison.Ordinal);
        Assert.True(exit == 0, shown);
        Assert.Contains("refund for customer", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Ssn, shown, StringComparison.Ordinal);
        Assert.DoesNotContain(Ssn, request.Justification, StringComparison.Ordinal);
        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        Assert.DoesNotContain(events, e => e.ToJsonString().Contains(Ssn, StringComparison.Ordinal));
    }

    private static async Task<(int Status, string Html)> PageAsync(ApprovalBank bank, string id, string? bearer)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(bank.Gateway.BaseAddress, $"/approvals/{id}"));
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
