using Proctor.Configuration.Secrets;

namespace Proctor.Configuration;

public enum OAuthClientAuthentication
{
    /// <summary>client_secret_basic: id and secret in an HTTP Basic Authorization header (RFC 6749 §2.3.1).</summary>
    Basic,

    /// <summary>client_secret_post: id and secret as form fields.</summary>
    Post,
}

/// <summary>
/// <c>upstreams.X.oauth</c>: the gateway's own client-credentials grant for one HTTP upstream.
/// <see cref="ClientSecret"/> prints as <c>***</c>; <see cref="ToString"/> never shows it.
/// </summary>
public sealed record UpstreamOAuthSettings(
    Uri TokenUrl,
    string ClientId,
    SecretValue ClientSecret,
    string? Scope,
    string? Resource,
    string? Audience,
    OAuthClientAuthentication ClientAuthentication);
