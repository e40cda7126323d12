using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Proctor.FunctionalTests.Identity;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Console;

/// <summary>
/// A gateway whose console signs people in only through the real test OpenID provider (console.clientId, no token
/// sign-in), the provider knowing the console as a public client with the gateway's callback as redirect URI, and one
/// headless Debian chromium (<see cref="ConsoleBrowser.Chromium"/>).
/// </summary>
public sealed class ProviderConsole : IAsyncLifetime
{
    public const string ClientId = "proctor-console";

    internal static readonly OidcPerson Approver = new("bob", "correct horse battery staple", "Bob Approver", ["approvers"]);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-console-signin-");
    private IPlaywright? _playwright;
    private OidcProvider? _provider;
    private GatewayUnderTest? _gateway;

    public IBrowser Browser { get; private set; } = null!;

    internal OidcProvider Provider => _provider!;

    public async Task InitializeAsync()
    {
        Assert.True(File.Exists(ConsoleBrowser.Chromium), $"{ConsoleBrowser.Chromium} is missing; install it with 'apt-get install -y chromium' (tests/run does).");
        var port = Ports.Free();
        _provider = await OidcProvider.StartAsync(
            browserClients: [new OidcBrowserClient(ClientId, new Uri($"http://127.0.0.1:{port}/console/callback"))],
            people: [Approver]);
        (_gateway, _) = await IdentityGateway.StartGatewayTrustingAsync(_provider,
            identitySetting: "roles: { approver: [\"approvers\"] }",
            sections: $"storage: {{ path: \"{Path.Combine(_folder.FullName, "proctor.db")}\" }}\nconsole: {{ clientId: \"{ClientId}\" }}\n",
            port: port);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = ConsoleBrowser.Chromium, Headless = true, Args = ["--no-sandbox"] });
        Directory.CreateDirectory(ConsoleBrowser.Screenshots);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        if (_provider is not null)
        {
            await _provider.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    public Uri Url(string path) => new(_gateway!.BaseAddress, path);

    /// <summary>A fresh browser context on the provider's login page, reached from /console as a person would.</summary>
    public async Task<IPage> AtProviderLoginAsync()
    {
        var context = await Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(Url("/console").ToString());
        Assert.EndsWith("/console/sign-in", page.Url, StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in with your organisation's account" }).ClickAsync();
        await ConsoleBrowser.ArriveAtAsync(page, new Regex("^" + Regex.Escape(Provider.IssuerIdentifier) + "/interaction/"));
        return page;
    }

    internal static async Task EnterAsync(IPage page, OidcPerson person, string password)
    {
        await page.GetByLabel("Username").FillAsync(person.Username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }
}
