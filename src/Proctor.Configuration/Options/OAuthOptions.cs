namespace Proctor.Configuration.Options;

/// <summary>
/// <c>upstreams.X.oauth:</c> as written: the gateway obtains its own access token for the upstream
/// with the OAuth 2.0 client-credentials grant (RFC 6749 §4.4).
/// </summary>
internal sealed class OAuthOptions
{
    public const string DefaultClientAuthentication = "basic";

    public static readonly string[] Keys = ["tokenUrl", "clientId", "clientSecret", "scope", "resource", "audience", "clientAuthentication"];

    public string? TokenUrl { get; set; }

    public string? ClientId { get; set; }

    /// <summary>A secret reference (<c>${env:…}</c>, <c>${file:…}</c>); a literal secret is refused.</summary>
    public string? ClientSecret { get; set; }

    public string? Scope { get; set; }

    /// <summary>RFC 8707 <c>resource</c> parameter.</summary>
    public string? Resource { get; set; }

    /// <summary><c>audience</c> parameter (Auth0, Okta and others use it instead of <c>resource</c>).</summary>
    public string? Audience { get; set; }

    /// <summary><c>basic</c> (client_secret_basic) or <c>post</c> (client_secret_post).</summary>
    public string? ClientAuthentication { get; set; }
}
