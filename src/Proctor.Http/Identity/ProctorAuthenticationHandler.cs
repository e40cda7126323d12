using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Proctor.Identity;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Identity;

/// <summary>
/// The <c>Proctor</c> scheme: one bearer value, a JWT or an agent key, checked by <see cref="BearerAuthentication"/>.
/// A verified caller becomes the request's principal and its <see cref="ICallerFeature"/>; a refusal is written by
/// the challenge (401 or 503, with the RFC 9728 <c>WWW-Authenticate</c>) or, when an authorization requirement refused
/// a verified caller, by the forbid (403). The body takes the endpoint's <see cref="RefusalFormat"/>.
/// </summary>
internal sealed class ProctorAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, UrlEncoder encoder, BearerAuthentication bearer)
    // No logger factory: BearerAuthentication logs every refusal once, with its own event ids; the framework's
    // "not authenticated" lines would repeat them.
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, NullLoggerFactory.Instance, encoder)
{
    public const string SchemeName = "Proctor";

    /// <summary>Where a refusal travels inside <see cref="AuthenticationProperties.Parameters"/>.</summary>
    public const string RefusalKey = "proctor.refusal";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (caller, refusal) = await bearer.AuthenticateAsync(Context).ConfigureAwait(false);
        if (caller is not null)
        {
            Context.Features.Set<ICallerFeature>(new CallerFeature(caller));
            return AuthenticateResult.Success(new AuthenticationTicket(Principal(caller), SchemeName));
        }

        if (refusal is null)
        {
            return AuthenticateResult.NoResult(); // no identity section: anonymous
        }

        var properties = new AuthenticationProperties();
        properties.Parameters[RefusalKey] = refusal;
        return AuthenticateResult.Fail(refusal.Description ?? refusal.Reason ?? "refused", properties);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var outcome = result.Properties?.GetParameter<AuthenticationOutcome>(RefusalKey) ?? BearerAuthentication.NoCredentials;
        await WriteChallengedAsync(outcome).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        if (Context.Features.Get<AdmissionRefusal>() is not { } refusal)
        {
            return RefusalFormat.WriteAsync(Context, 403, "forbidden", "The request is not allowed.");
        }

        return refusal.Challenge is { } outcome
            ? WriteChallengedAsync(outcome)
            : RefusalFormat.WriteAsync(Context, refusal.Status, refusal.Error, refusal.Message);
    }

    private Task WriteChallengedAsync(AuthenticationOutcome outcome)
    {
        var written = bearer.Refuse(Context, outcome, bearer.ScopesRequiredBy(Context.Request.RouteValues["server"] as string));
        return RefusalFormat.WriteAsync(Context, written.Status, written.Error, written.Description);
    }

    /// <summary>What the rest of ASP.NET Core sees; Proctor itself reads the <see cref="Caller"/> from the feature.</summary>
    internal static ClaimsPrincipal Principal(Caller caller)
    {
        var identity = new ClaimsIdentity(SchemeName);
        Add(identity, ClaimTypes.NameIdentifier, caller.Subject);
        Add(identity, ClaimTypes.AuthenticationMethod, caller.AuthenticationMethod);
        if (caller.Issuer is { } issuer)
        {
            Add(identity, "iss", issuer);
        }

        foreach (var group in caller.Groups)
        {
            Add(identity, "groups", group);
        }

        return new ClaimsPrincipal(identity);
    }

    /// <summary>A claim made with its identity as subject is kept as it is; any other is copied into the identity (twice the claims, every request).</summary>
    private static void Add(ClaimsIdentity identity, string type, string value) =>
        identity.AddClaim(new Claim(type, value, valueType: null, issuer: null, originalIssuer: null, identity));
}
