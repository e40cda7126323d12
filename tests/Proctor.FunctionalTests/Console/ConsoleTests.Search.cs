using Microsoft.Playwright;
using Proctor.Evidence.Verification;
using Proctor.FunctionalTests.Approvals;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Ledger.Checkpoints;

namespace Proctor.FunctionalTests.Console;

/// <summary>The audit search by tool and outcome, the evidence download, and the inbox's unrecorded poll.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task Auditor_SearchesTheAuditByToolAndOutcome_AndSeesOnlyThoseEvents()
    {
        await using (var analyst = await Bank.ConnectAsync("analyst"))
        {
            await ApprovalBank.BalanceAsync(analyst, Bank.Accounts.From);
        }

        // The exact name and status the gateway recorded for the balance call, as the search must match them.
        var call = (await LedgerEvents.ReadAsync(Bank.DatabasePath)).Last(e => ((string?)e["action"]?["name"] ?? "").Contains("get_account_balance", StringComparison.Ordinal) && e["outcome"] is not null);
        var (tool, outcome) = ((string)call["action"]!["name"]!, (string)call["outcome"]!["status"]!);
        var (page, errors) = await browser.SignInAsync("auditor");

        var search = await page.GotoAsync(browser.Url("/console/audit").ToString());
        await page.GetByLabel("Tool").FillAsync(tool);
        await page.GetByLabel("Outcome").SelectOptionAsync(outcome);
        var found = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync(), r => r.Request.IsNavigationRequest);
        await ConsoleBrowser.AssertSoundAsync(page, found, errors, "audit-search-tool");

        var rows = page.Locator("tbody tr");
        Assert.True(await rows.CountAsync() > 0, await page.Locator("main").InnerTextAsync());
        foreach (var row in await rows.AllAsync())
        {
            Assert.Equal(tool, await row.Locator("td").Nth(4).InnerTextAsync());
            Assert.Equal(outcome, await row.Locator("td").Nth(5).InnerTextAsync());
        }

        var other = outcome == "refused" ? "timeout" : "refused";
        await page.GetByLabel("Outcome").SelectOptionAsync(other);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("No event matches.");
        var recorded = await LedgerEvents.ReadAsync(Bank.DatabasePath, "audit.read");
        Assert.Contains(recorded, e => (string?)e["actor"]?["subject"] == "carol" && ((string?)e["action"]?["name"] ?? "") == "/console/audit");
    }

    [Fact]
    public async Task Auditor_DownloadsTheEvidencePackage_ThatTheVerifierAccepts()
    {
        await using (var analyst = await Bank.ConnectAsync("analyst"))
        {
            await ApprovalBank.BalanceAsync(analyst, Bank.Accounts.From);
        }

        var (page, errors) = await browser.SignInAsync("auditor");
        var shown = await page.GotoAsync(browser.Url("/console/export").ToString());
        await ConsoleBrowser.AssertSoundAsync(page, shown, errors, "evidence-export");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("From (UTC date)").FillAsync(today);
        await page.GetByLabel("To, inclusive (UTC date)").FillAsync(today);
        await page.GetByLabel("Identity (optional)").FillAsync("alice");

        var posted = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.EndsWith("/console/export", StringComparison.Ordinal));
        var downloading = page.WaitForDownloadAsync(new() { Timeout = 60_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Download the package" }).ClickAsync();
        var answer = await posted;
        Assert.True(answer.Ok, $"{answer.Status} {string.Join(", ", (await answer.AllHeadersAsync()).Select(h => h.Key + "=" + h.Value))}");
        var download = await downloading;
        var path = Path.Combine(Bank.Folder, "console-evidence.zip");
        await download.SaveAsAsync(path);

        Assert.StartsWith("proctor-evidence-", download.SuggestedFilename, StringComparison.Ordinal);
        var key = NoteVerifierKey.Parse(await File.ReadAllTextAsync(Path.Combine(Bank.Folder, "ledger-public.key")));
        await using var package = File.OpenRead(path);
        var verdict = PackageVerifier.Verify(package, key, null);
        Assert.True(verdict.Verified, string.Join("\n", verdict.Problems));
        Assert.True(verdict.EventsIncluded > 0, "alice's balance call is in the period");
        Assert.Equal("alice", verdict.Identity);
    }

    [Theory]
    [InlineData("analyst")]
    [InlineData("supervisor")]
    public async Task NonAuditor_CannotReachTheExportPage_NorPostIt(string identity)
    {
        var (page, _) = await browser.SignInAsync(identity);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Evidence export" }).CountAsync());

        var shown = await page.GotoAsync(browser.Url("/console/export").ToString());
        Assert.Equal(403, shown!.Status);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (status, text) = await PostFromPageAsync(page, "/console/export", ("from", today), ("to", today));
        Assert.Equal(403, status);
        Assert.DoesNotContain("PK", text[..Math.Min(2, text.Length)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleInbox_PollsWithoutRecording_AndANewHeldCallStillAppears()
    {
        // Pages earlier tests left open in this browser refetch their inboxes when the pending set changes; only this one may poll.
        foreach (var earlier in browser.Browser.Contexts.ToList())
        {
            await earlier.CloseAsync();
        }
        var (page, _) = await browser.SignInAsync("supervisor");
        await page.GotoAsync(browser.Url("/console/approvals").ToString());
        var before = await ReadsByAsync("bob");

        for (var round = 0; round < 2; round++)
        {
            var poll = await page.WaitForResponseAsync(r => r.Url.EndsWith("/console/approvals/pending.json", StringComparison.Ordinal), new() { Timeout = 10_000 });
            Assert.Equal(200, poll.Status);
            var body = await poll.JsonAsync();
            Assert.Equal(["version"], body!.Value.EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal(before, await ReadsByAsync("bob"));

        await using var analyst = await Bank.ConnectAsync("analyst");
        var call = analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(Bank.Accounts)).AsTask();
        var request = await Bank.PendingAsync();
        await page.Locator($"article[data-id='{request.Id}']").WaitForAsync(new() { Timeout = 15_000 });
        Assert.True(await ReadsByAsync("bob") > before, "fetching the changed inbox is a recorded read");
        await Bank.DecideOverRestAsync(request.Id, "deny", "supervisor", "inbox test done");
        await Assert.ThrowsAnyAsync<Exception>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private async Task<int> ReadsByAsync(string subject) =>
        (await LedgerEvents.ReadAsync(Bank.DatabasePath, "audit.read")).Count(e => (string?)e["actor"]?["subject"] == subject);
}
