using System.Net;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Console;

namespace Proctor.Http.Tests.Console;

/// <summary>
/// The console's cookies are Secure wherever the browser used HTTPS, including behind a load balancer that ends TLS and
/// forwards plain HTTP; only a browser on the gateway's own machine over HTTP (the demo) gets them without Secure.
/// </summary>
public sealed class ConsoleCookieTests
{
    public static TheoryData<string, string, bool> Requests => new()
    {
        { "http", "127.0.0.1", false },
        { "http", "::1", false },
        { "https", "127.0.0.1", true },
        { "http", "10.0.4.17", true },
        { "https", "10.0.4.17", true },
        { "http", "192.168.1.20", true },
        { "http", "::ffff:10.0.0.1", true },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void Cookies_are_secure_unless_a_local_browser_came_over_plain_http(string scheme, string client, bool secure)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Connection.RemoteIpAddress = IPAddress.Parse(client);

        var options = ConsoleSession.Options(context);

        Assert.Equal(secure, options.Secure);
        Assert.True(options.HttpOnly);
        Assert.Equal("/console", options.Path);
    }

    [Fact]
    public void A_request_with_no_known_client_address_gets_secure_cookies()
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";

        Assert.True(ConsoleSession.Options(context).Secure);
    }

    [Theory]
    [InlineData("navigate", true)]
    [InlineData(null, true)]
    [InlineData("cors", false)]
    [InlineData("same-origin", false)]
    [InlineData("no-cors", false)]
    public void Only_a_persons_navigation_moves_the_idle_expiry(string? fetchMode, bool kept)
    {
        var session = new ConsoleSession(new EphemeralDataProtectionProvider(), TimeSpan.FromMinutes(30), TimeProvider.System);
        var context = new DefaultHttpContext();
        if (fetchMode is not null)
        {
            context.Request.Headers["Sec-Fetch-Mode"] = fetchMode;
        }

        session.Touch(context, "token");

        Assert.Equal(kept, context.Response.Headers.SetCookie.ToString().StartsWith(ConsoleSession.CookieName + "=", StringComparison.Ordinal));
    }
}

