using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ModelContextProtocol;
using Proctor.Approvals.Requests;
using Proctor.FunctionalTests.Approvals;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Console;

/// <summary>
/// The web console in a real browser (docs/console.md): people sign in with tokens from the real OpenID provider, the
/// analyst's real MCP client makes the held calls, and every decision is read back from the bank and the ledger.
/// </summary>
public sealed partial class ConsoleTests(ConsoleBrowser browser) : IClassFixture<ConsoleBrowser>
{
    private ApprovalBank Bank => browser.Bank;

    [Fact]
    public async Task Supervisor_ApprovesAHeldCallInTheInbox_TheClientsCallCompletes_AndTheLedgerNamesTheSupervisor()
    {
        var (page, errors) = await browser.SignInAsync("supervisor");
        var inbox = await page.GotoAsync(browser.Url("/console/approvals").ToString());
        await using var analyst = await Bank.ConnectAsync("analyst");
        var call = analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(Bank.Accounts)).AsTask();
        var request = await Bank.PendingAsync();

        // No reload: console.js sees the new request and redraws the inbox.
        var article = page.Locator($"article[data-id='{request.Id}']");
        await article.WaitForAsync(new() { Timeout = 15_000 });
        await ConsoleBrowser.AssertSoundAsync(page, inbox, errors, "approvals-inbox");
        await article.GetByLabel("Reason (recorded in the ledger)").FillAsync("checked with treasury");
        await article.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        var result = await call.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotEqual(true, result.IsError);
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Approved.");
        Assert.Contains((await Bank.StoredAsync(request.Id)).State, new[] { ApprovalState.Approved, ApprovalState.Used });
        var events = await LedgerEvents.ReadAsync(Bank.DatabasePath);
        var approve = Assert.Single(events, e => (string?)e["kind"] == "approval.approve" && (string?)e["details"]!["approval_id"] == request.Id);
        Assert.Equal("bob", (string?)approve["actor"]!["subject"]);
        Assert.Contains(events, e => (string?)e["kind"] == "audit.read" && (string?)e["actor"]?["subject"] == "bob");
    }

    [Fact]
    public async Task Supervisor_DeniesAHeldCall_TheClientsCallFailsWithTheReason()
    {
        await using var analyst = await Bank.ConnectAsync("analyst");
        var call = analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(Bank.Accounts)).AsTask();
        var request = await Bank.PendingAsync();
        var (page, _) = await browser.SignInAsync("supervisor");
        await page.GotoAsync(browser.Url("/console/approvals").ToString());
        var article = page.Locator($"article[data-id='{request.Id}']");
        await article.GetByLabel("Reason (recorded in the ledger)").FillAsync("not this quarter");
        await article.GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();

        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("not this quarter", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ApprovalState.Denied, (await Bank.StoredAsync(request.Id)).State);
    }

    [Fact]
    public async Task Auditor_SeesNoDecisionButtons_AndAForgedApprovalIsRefused()
    {
        await using var analyst = await Bank.ConnectAsync("analyst");
        var call = analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(Bank.Accounts)).AsTask();
        var request = await Bank.PendingAsync();
        var (page, _) = await browser.SignInAsync("auditor");
        await page.GotoAsync(browser.Url("/console/approvals").ToString());
        var article = page.Locator($"article[data-id='{request.Id}']");
        await article.WaitForAsync();

        Assert.Equal(0, await article.GetByRole(AriaRole.Button).CountAsync());
        // A valid antiforgery token (the sign-out form's) on a hand-made form: the role check, not the missing button, refuses it.
        var token = await page.Locator("form.signout input[name='__antiforgery']").GetAttributeAsync("value");
        var (status, text) = await PostFromPageAsync(page, $"/console/approvals/{request.Id}/decide", ("__antiforgery", token!), ("decision", "approve"), ("reason", "forged"));
        Assert.Equal(403, status);
        Assert.Contains("does not hold the approver role", text, StringComparison.Ordinal);
        Assert.Equal(ApprovalState.Pending, (await Bank.StoredAsync(request.Id)).State);

        var (supervisor, _) = await browser.SignInAsync("supervisor"); // leave nothing held for the other tests
        await supervisor.GotoAsync(browser.Url("/console/approvals").ToString());
        await supervisor.Locator($"article[data-id='{request.Id}']").GetByRole(AriaRole.Button, new() { Name = "Deny" }).ClickAsync();
        await Assert.ThrowsAsync<McpProtocolException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task APostWithoutTheAntiforgeryToken_ChangesNothing()
    {
        var (page, _) = await browser.SignInAsync("auditor");
        var (status, text) = await PostFromPageAsync(page, "/console/ledger/verify", ("x", "y"));
        Assert.Equal(400, status);
        Assert.Contains("lacks a valid security token", text, StringComparison.Ordinal);
        Assert.Equal(400, (await PostFromPageAsync(page, "/console/sign-out", ("x", "y"))).Status);
        Assert.Equal(200, (await page.GotoAsync(browser.Url("/console").ToString()))!.Status); // still signed in
    }

    [Fact]
    public async Task Auditor_ReplaysASession_SearchesTheAudit_AndVerifiesTheLedger_OnSoundPages()
    {
        await using (var analyst = await Bank.ConnectAsync("analyst"))
        {
            await ApprovalBank.BalanceAsync(analyst, Bank.Accounts.From);
        }

        var (page, errors) = await browser.SignInAsync("auditor");
        await ConsoleBrowser.AssertSoundAsync(page, await page.ReloadAsync(), errors, "overview");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("carol");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("auditor");

        var search = await page.GotoAsync(browser.Url("/console/audit").ToString());
        await page.GetByLabel("Identity").FillAsync("alice");
        await page.GetByLabel("Server").FillAsync("bank");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await ConsoleBrowser.AssertSoundAsync(page, search, errors, "audit-search");
        var first = page.Locator("tbody tr td a").First;
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync("alice");

        var replay = await page.RunAndWaitForResponseAsync(() => first.ClickAsync(), r => r.Request.IsNavigationRequest && r.Url.Contains("/console/sessions/", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("ol.timeline")).ToContainTextAsync("get_account_balance");
        await ConsoleBrowser.AssertSoundAsync(page, replay, errors, "session-replay");

        var sessions = await page.GotoAsync(browser.Url("/console/sessions").ToString());
        await ConsoleBrowser.AssertSoundAsync(page, sessions, errors, "sessions");

        var ledger = await page.GotoAsync(browser.Url("/console/ledger").ToString());
        await ConsoleBrowser.AssertSoundAsync(page, ledger, errors, "ledger");
        var verified = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Verify the whole ledger now" }).ClickAsync(), r => r.Request.IsNavigationRequest && r.Url.EndsWith("/console/ledger/verify", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(IntactPattern());
        await ConsoleBrowser.AssertSoundAsync(page, verified, errors, "ledger-verified");

        var export = await page.GotoAsync(browser.Url("/console/export").ToString());
        await ConsoleBrowser.AssertSoundAsync(page, export, errors, "export");

        var access = await page.GotoAsync(browser.Url("/console/access").ToString());
        await ConsoleBrowser.AssertSoundAsync(page, access, errors, "access");

        var events = await LedgerEvents.ReadAsync(Bank.DatabasePath);
        Assert.Contains(events, e => (string?)e["kind"] == "audit.read" && (string?)e["actor"]?["subject"] == "carol" && ((string?)e["action"]?["name"] ?? "").StartsWith("/console/sessions/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Analyst_HasNoLedgerPages_AndTheRestApiStillAnswersBearerChallenges()
    {
        var (page, _) = await browser.SignInAsync("analyst");
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Ledger" }).CountAsync());
        var refused = await page.GotoAsync(browser.Url("/console/ledger").ToString());
        Assert.True(refused!.Status == 403, $"{refused.Status} {page.Url} {await page.Locator("main").InnerTextAsync()}");

        // The console's cookie is scoped to /console: the API still wants a bearer token and says so.
        var api = await page.Context.APIRequest.GetAsync(browser.Url("/api/sessions").ToString());
        Assert.Equal(401, api.Status);
        Assert.StartsWith("Bearer resource_metadata=", api.Headers["www-authenticate"], StringComparison.Ordinal);
    }

    /// <summary>A form POST made by script in the signed-in page (its cookies, no antiforgery token unless given); redirects are not followed.</summary>
    private static async Task<(int Status, string Text)> PostFromPageAsync(IPage page, string path, params (string Name, string Value)[] fields)
    {
        var answer = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async ([path, fields]) => { const r = await fetch(path, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' }); return [r.status, await r.text()]; }",
            new object[] { path, fields.Select(f => new[] { f.Name, f.Value }).ToArray() });
        return (answer[0].GetInt32(), answer[1].GetString()!);
    }

    [GeneratedRegex("^Intact: \\d+ entries")]
    private static partial Regex IntactPattern();
}
