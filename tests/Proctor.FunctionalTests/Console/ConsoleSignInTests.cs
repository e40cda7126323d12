using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Proctor.FunctionalTests.Console;

/// <summary>
/// Signing in to the console through the real OpenID provider (authorization code + PKCE, docs/console.md) in Debian's
/// chromium: the person types their password at the provider, and the gateway admits them only with the access token it
/// redeemed for a code that came back with the state it issued.
/// </summary>
public sealed partial class ConsoleSignInTests(ProviderConsole console) : IClassFixture<ProviderConsole>
{
    [Fact]
    public async Task Approver_SignsInAtTheProvider_AndComesBackSignedInWithTheApproverRole()
    {
        var page = await console.AtProviderLoginAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(ConsoleBrowser.Screenshots, "sign-in-provider.png"), FullPage = true });
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);

        var home = await page.RunAndWaitForResponseAsync(
            () => ProviderConsole.EnterAsync(page, ProviderConsole.Approver, ProviderConsole.Approver.Password),
            r => r.Request.IsNavigationRequest && r.Url == console.Url("/console").ToString());

        var main = page.Locator("main");
        await Assertions.Expect(main).ToContainTextAsync("Signed in as");
        await Assertions.Expect(main.Locator("dd").First).ToHaveTextAsync("bob");
        await Assertions.Expect(main).ToContainTextAsync(ApproverRole());
        await Assertions.Expect(page.Locator("form.signout .who")).ToHaveTextAsync("bob");
        await ConsoleBrowser.AssertSoundAsync(page, home, errors, "sign-in-signed-in");
    }

    [Fact]
    public async Task AWrongPassword_KeepsThePersonOut()
    {
        var page = await console.AtProviderLoginAsync();
        await ProviderConsole.EnterAsync(page, ProviderConsole.Approver, "not the password");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong username or password.");
        Assert.StartsWith(console.Provider.IssuerIdentifier + "/interaction/", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(console.Url("/console").ToString());
        Assert.EndsWith("/console/sign-in", page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync([console.Url("/console").ToString()]), c => c.Name == "proctor-console");
    }

    [Fact]
    public async Task ATamperedState_IsRefusedWithAPageSayingWhy()
    {
        var (page, callback) = await HeldCallbackAsync();
        var tampered = Regex.Replace(callback, "state=[^&]+", "state=" + new string('A', 43));

        var answer = await page.GotoAsync(tampered);

        Assert.Equal(401, answer!.Status);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("could not be matched to one started here");
        await AssertSignedOutAsync(page);
    }

    [Fact]
    public async Task AReplayedCallback_IsRefused_TheProviderRedeemsACodeOnce()
    {
        var (page, callback) = await HeldCallbackAsync();
        var pending = await page.Context.CookiesAsync([callback]);
        Assert.Equal(200, (await page.GotoAsync(callback))!.Status);
        Assert.EndsWith("/console", page.Url, StringComparison.Ordinal);

        // The same request again, sign-in cookie and all, from another browser: the code was used.
        var replay = await (await console.Browser.NewContextAsync()).NewPageAsync();
        await replay.Context.AddCookiesAsync(pending.Where(c => c.Name == "proctor-console-signin").Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        var answer = await replay.GotoAsync(callback);

        Assert.Equal(401, answer!.Status);
        await Assertions.Expect(replay.Locator("main")).ToContainTextAsync("did not give an access token for the code");
        await AssertSignedOutAsync(replay);
    }

    [Fact]
    public async Task SigningOut_EndsTheSession_EvenForACopyOfTheCookie()
    {
        var page = await console.AtProviderLoginAsync();
        await ProviderConsole.EnterAsync(page, ProviderConsole.Approver, ProviderConsole.Approver.Password);
        await ConsoleBrowser.ArriveAtAsync(page, console.Url("/console").ToString());
        var copy = (await page.Context.CookiesAsync([console.Url("/console").ToString()])).Single(c => c.Name == "proctor-console");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await ConsoleBrowser.ArriveAtAsync(page, console.Url("/console/sign-in").ToString());
        await AssertSignedOutAsync(page);
        var elsewhere = await (await console.Browser.NewContextAsync()).NewPageAsync();
        await elsewhere.Context.AddCookiesAsync([new Cookie { Name = copy.Name, Value = copy.Value, Domain = copy.Domain, Path = copy.Path }]);
        await AssertSignedOutAsync(elsewhere);
    }

    /// <summary>
    /// A sign-in up to the provider's redirect back, which is held: the callback URL (code and state) and the browser with
    /// the pending sign-in cookie. Playwright routes no redirect, so the login POST itself is routed and its redirects
    /// (to the provider's /auth, then to the callback) followed by hand with the context's cookies.
    /// </summary>
    private async Task<(IPage Page, string Callback)> HeldCallbackAsync()
    {
        var page = await console.AtProviderLoginAsync();
        var held = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync(url => url.EndsWith("/login", StringComparison.Ordinal), async route =>
        {
            try
            {
                var next = (await route.FetchAsync(new() { MaxRedirects = 0 })).Headers["location"];
                while (!next.Contains("/console/callback?", StringComparison.Ordinal))
                {
                    next = new Uri(new Uri(console.Provider.IssuerIdentifier), (await page.Context.APIRequest.GetAsync(next, new() { MaxRedirects = 0 })).Headers["location"]).ToString();
                }

                held.TrySetResult(next);
            }
            catch (Exception e)
            {
                held.TrySetException(e);
            }

            await route.FulfillAsync(new() { ContentType = "text/html", Body = "<!doctype html><title>held</title>" });
        });
        await ProviderConsole.EnterAsync(page, ProviderConsole.Approver, ProviderConsole.Approver.Password);
        var callback = await held.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await page.UnrouteAllAsync();
        Assert.Contains("code=", callback, StringComparison.Ordinal);
        return (page, callback);
    }

    private async Task AssertSignedOutAsync(IPage page)
    {
        await page.GotoAsync(console.Url("/console").ToString());
        Assert.EndsWith("/console/sign-in", page.Url, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"Roles\s*approver")]
    private static partial Regex ApproverRole();
}
