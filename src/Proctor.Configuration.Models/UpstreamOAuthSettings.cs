using Proctor.Configuration.Models.Schema;
using Proctor.Configuration.Models.Secrets;

namespace Proctor.Configuration.Models;

public enum OAuthClientAuthentication
{
    /// <summary>client_secret_basic: id and secret in an HTTP Basic Authorization header (RFC 6749 §2.3.1).</summary>
    Basic,

    /// <summary>client_secret_post: id and secret as form fields.</summary>
    Post,
}

/// <summary>
/// <c>upstreams.X.oauth</c>: the gateway's own client-credentials grant (RFC 6749 §4.4) for one HTTP upstream.
/// <see cref="ClientSecret"/> prints as <c>***</c>; <see cref="ToString"/> never shows it. Only the client
/// secret may be a reference: the other values are sent as written, so a reference there is refused.
/// </summary>
public sealed record UpstreamOAuthSettings(
    [property: Setting("a URL", "\"https://login.example.com/oauth2/token\"", Format = ValueFormat.TokenUrl, NoReferences = "; write the URL itself")] Uri TokenUrl,
    [property: Setting("a client id", "\"proctor-gateway\"", NoReferences = "; write the client id itself (it is not a secret)")] string ClientId,
    [property: Setting("a secret reference", "\"${env:CRM_CLIENT_SECRET}\"", Sensitive = true, Credential = true)] SecretValue ClientSecret,
    [property: Setting("space-separated scopes", "\"crm.read crm.write\"", Format = ValueFormat.Scopes, NoReferences = "; write the scopes themselves")] string? Scope,
    [property: Setting("a URL", "\"https://crm.example.com/mcp\"", Format = ValueFormat.OAuthResource, NoReferences = "; write the URL itself")] string? Resource,
    [property: Setting("an audience", "\"https://crm.example.com\"", NoReferences = "; write the audience itself")] string? Audience,
    [property: Setting("basic or post", "basic", Format = ValueFormat.ClientAuthentication)] OAuthClientAuthentication ClientAuthentication)
{
    /// <summary>Defaults; the token URL, client id and client secret have none and must be written.</summary>
    public UpstreamOAuthSettings()
        : this(null!, null!, null!, null, null, null, OAuthClientAuthentication.Basic)
    {
    }
}
