using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Console;

/// <summary>
/// A console sign-in is the person's access token, kept in an HttpOnly cookie encrypted and authenticated by ASP.NET
/// Core data protection, with an expiry that moves forward on every page (the idle timeout). The token is checked
/// again on every request by the same scheme as the REST API (decision 0050), so an expired or revoked token ends
/// the sign-in even while the cookie is fresh.
/// </summary>
internal sealed class ConsoleSession(IDataProtectionProvider protection, TimeSpan idleTimeout, TimeProvider time)
{
    public const string CookieName = "proctor-console";

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Proctor.Console.Session.v1").ToTimeLimitedDataProtector();
    private readonly SignedOutTokens _signedOut = new(idleTimeout, time);

    /// <summary>The signed-in person's token, or null when there is no cookie, it was tampered with, it idled out, or its person signed out.</summary>
    public string? Token(HttpContext context)
    {
        if (context.Request.Cookies[CookieName] is not { Length: > 0 } cookie)
        {
            return null;
        }

        try
        {
            var token = _protector.Unprotect(cookie, out var expires);
            return expires > time.GetUtcNow() && !_signedOut.Contains(token) ? token : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    /// <summary>Signs in, or moves the idle expiry forward.</summary>
    public void Keep(HttpContext context, string token)
    {
        _signedOut.Remove(token);
        context.Response.Cookies.Append(CookieName, _protector.Protect(token, time.GetUtcNow() + idleTimeout), Options(context));
    }

    /// <summary>
    /// Moves the idle expiry forward when the person acted: opened a page or sent a form (a navigation). The inbox's
    /// background fetches are not activity, or an open tab would never idle out. A client that sends no
    /// <c>Sec-Fetch-Mode</c> is taken as acting.
    /// </summary>
    public void Touch(HttpContext context, string token)
    {
        if (context.Request.Headers["Sec-Fetch-Mode"] is { Count: > 0 } mode && mode != "navigate")
        {
            return;
        }

        Keep(context, token);
    }

    public void End(HttpContext context) => context.Response.Cookies.Delete(CookieName, Options(context));

    /// <summary>Ends the sign-in and every copy of its cookie: the token no longer admits to the console.</summary>
    public void SignOut(HttpContext context)
    {
        if (Token(context) is { } token)
        {
            _signedOut.Add(token);
        }

        End(context);
    }

    /// <summary>
    /// Lax, not Strict: the provider's redirect back to the callback is a cross-site navigation, and the page it lands
    /// on must see the person signed in. Every change is a POST with an antiforgery token, which Lax does not send cross-site.
    /// Secure unless a browser on this machine reached the gateway over plain HTTP (the demo): behind a load balancer
    /// that ends TLS the request arrives as HTTP from another address, and the browser still saw HTTPS.
    /// </summary>
    public static CookieOptions Options(HttpContext context) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps || context.Connection.RemoteIpAddress is not { } client || !IPAddress.IsLoopback(client),
        SameSite = SameSiteMode.Lax,
        Path = "/console",
        IsEssential = true,
    };
}
