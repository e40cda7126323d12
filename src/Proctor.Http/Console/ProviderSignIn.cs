using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Proctor.Configuration.Models;

namespace Proctor.Http.Console;

/// <summary>
/// Sign-in through the identity provider: OAuth 2.0 authorization code with PKCE (S256), as a public client, asking
/// for an access token for <c>identity.resource</c> (RFC 8707), the same token the REST API accepts (decision 0050). The
/// state and the PKCE verifier wait in a short-lived encrypted cookie; the callback checks the state, redeems the
/// code with the verifier, and signs in only when the gateway's own scheme accepts the access token.
/// </summary>
internal sealed class ProviderSignIn(ConsoleSettings settings, IdentitySettings identity, IDataProtectionProvider protection, HttpClient http, ConsoleSession session, SignInPage page, TimeProvider time)
{
    private const string PendingCookie = "proctor-console-signin";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector _pending = protection.CreateProtector("Proctor.Console.SignIn.v1").ToTimeLimitedDataProtector();

    private readonly ConfigurationManager<OpenIdConnectConfiguration> _provider = new(
        (settings.Issuer ?? identity.Issuers[0]).OriginalString.TrimEnd('/') + "/.well-known/openid-configuration",
        new OpenIdConnectConfigurationRetriever(),
        new HttpDocumentRetriever(http) { RequireHttps = (settings.Issuer ?? identity.Issuers[0]).Scheme == Uri.UriSchemeHttps });

    public async Task StartAsync(HttpContext context)
    {
        ConsoleHeaders.Apply(context.Response);
        if (settings.ClientId is not { } clientId)
        {
            context.Response.Redirect(ConsoleRoutes.SignIn);
            return;
        }

        var provider = await _provider.GetConfigurationAsync(context.RequestAborted).ConfigureAwait(false);
        var state = Random();
        var verifier = Random();
        context.Response.Cookies.Append(PendingCookie, _pending.Protect(state + " " + verifier, time.GetUtcNow() + PendingLifetime), ConsoleSession.Options(context));
        var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        context.Response.Redirect(QueryHelpers.AddQueryString(provider.AuthorizationEndpoint, new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = clientId,
            ["redirect_uri"] = RedirectUri(context),
            ["scope"] = string.Join(' ', settings.Scopes),
            ["state"] = state,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
            ["resource"] = identity.Resource.ToString(),
        }));
    }

    public async Task CallbackAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var pending = Pending(context);
        context.Response.Cookies.Delete(PendingCookie, ConsoleSession.Options(context));
        if (pending is not { } expected || query["state"] != expected.State)
        {
            await page.RefuseAsync(context, "The sign-in could not be matched to one started here (it took over 10 minutes, or came from elsewhere). Start again.").ConfigureAwait(false);
            return;
        }

        if (query["error"].ToString() is { Length: > 0 } error)
        {
            await page.RefuseAsync(context, $"The identity provider refused the sign-in: {error} {query["error_description"]}").ConfigureAwait(false);
            return;
        }

        var provider = await _provider.GetConfigurationAsync(context.RequestAborted).ConfigureAwait(false);
        using var redeem = await http.PostAsync(provider.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = query["code"].ToString(),
            ["redirect_uri"] = RedirectUri(context),
            ["client_id"] = settings.ClientId!,
            ["code_verifier"] = expected.Verifier,
            ["resource"] = identity.Resource.ToString(),
        }), context.RequestAborted).ConfigureAwait(false);
        var body = await redeem.Content.ReadAsStringAsync(context.RequestAborted).ConfigureAwait(false);
        var token = redeem.IsSuccessStatusCode ? AccessToken(body) : null;
        if (token is null)
        {
            await page.RefuseAsync(context, $"The identity provider did not give an access token for the code ({(int)redeem.StatusCode}). Start again; if it persists, check console.clientId and its redirect URI {RedirectUri(context)}.").ConfigureAwait(false);
            return;
        }

        if (await page.WhyRefusedAsync(context, token).ConfigureAwait(false) is { } refusal)
        {
            await page.RefuseAsync(context, refusal).ConfigureAwait(false);
            return;
        }

        session.Keep(context, token);
        context.Response.Redirect(ConsoleRoutes.Home);
    }

    private (string State, string Verifier)? Pending(HttpContext context)
    {
        try
        {
            if (context.Request.Cookies[PendingCookie] is not { } cookie)
            {
                return null;
            }

            var parts = _pending.Unprotect(cookie, out var expires).Split(' ');
            return expires > time.GetUtcNow() && parts.Length == 2 ? (parts[0], parts[1]) : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static string? AccessToken(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("access_token", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string RedirectUri(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{ConsoleRoutes.Callback}";

    private static string Random() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => WebEncoders.Base64UrlEncode(bytes);
}
