using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Proctor.FunctionalTests.Approvals;

namespace Proctor.FunctionalTests.Console;

/// <summary>
/// One gateway (the approval bank, with console token sign-in on) and one headless chromium for a test class: Debian's
/// /usr/bin/chromium, never a downloaded browser (tests/run installs it). Each test opens its own browser context, so
/// people's cookies never mix. Screenshots go to artifacts/test-results/screenshots.
/// </summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    internal ApprovalBank Bank { get; private set; } = null!;


    public static string Screenshots { get; } = Path.Combine(Infrastructure.Peers.RepositoryRoot, "artifacts", "test-results", "screenshots");

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing; install it with 'apt-get install -y chromium' (tests/run does).");
        Bank = await ApprovalBank.StartAsync(holdTime: "25s", extraSections: "console: { tokenSignIn: true }\n");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Bank is not null)
        {
            await Bank.DisposeAsync();
        }
    }

    public Uri Url(string path) => new(Bank.Gateway.BaseAddress, path);

    /// <summary>
    /// Waits until the page's address matches <paramref name="url"/>. Not WaitForURLAsync: when the address already
    /// matches, Playwright's client looks at the load states it knows and only then subscribes to new ones, so a "load"
    /// arriving in between is missed and the wait times out (it did in CI). This expectation is polled by the driver.
    /// </summary>
    public static Task ArriveAtAsync(IPage page, string url) => Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 30_000 });

    /// <inheritdoc cref="ArriveAtAsync(IPage, string)"/>
    public static Task ArriveAtAsync(IPage page, Regex url) => Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = 30_000 });

    /// <summary>A fresh browser context signed in as <paramref name="identity"/> by pasting their token, on the overview page; console errors collected.</summary>
    public async Task<(IPage Page, List<string> Errors)> SignInAsync(string identity)
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(Url("/").ToString());
        Assert.EndsWith("/console/sign-in", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Access token").FillAsync(await Bank.TokenAsync(identity));
        // The page the sign-in lands on (after its redirect), success or not; waited for generously, because under the
        // whole suite's disk load the overview's ledger queries once took longer than Playwright's 30 s default.
        await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(),
            r => r.Request.IsNavigationRequest && r.Status is < 300 or >= 400,
            new() { Timeout = 90_000 });
        await page.Locator("main").WaitForAsync(new() { Timeout = 90_000 });
        Assert.True(page.Url.EndsWith("/console", StringComparison.Ordinal) && await page.Locator("form.signout").CountAsync() == 1, $"Signing in as {identity} left the browser on {page.Url}: {await page.Locator("main").InnerTextAsync()}");
        return (page, errors);
    }

    /// <summary>The page's answer carries the strict CSP, it logged no error, and axe finds nothing serious or critical.</summary>
    public static async Task AssertSoundAsync(IPage page, IResponse? response, List<string> errors, string screenshot)
    {
        Assert.NotNull(response);
        var headers = await response.AllHeadersAsync();
        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("same-origin", headers["referrer-policy"]);
        var axe = await page.RunAxe();
        var serious = axe.Violations.Where(v => v.Impact is "serious" or "critical").Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: {string.Join("\n", serious)}");
        Assert.True(errors.Count == 0, $"{page.Url} logged: {string.Join("\n", errors)}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, screenshot + ".png"), FullPage = true });
    }
}
