namespace Proctor.Configuration.Models.Schema;

/// <summary>
/// How a key's text is read when its type alone does not say (<see cref="ByType"/>: durations for
/// <see cref="TimeSpan"/>, sizes for <see cref="long"/>, whole numbers for <see cref="int"/>, true or
/// false, retention periods, secret values, plain text). Each format owns its messages.
/// </summary>
public enum ValueFormat
{
    ByType,

    /// <summary><c>http(s)://host:port</c>, nothing else.</summary>
    Listen,

    /// <summary>A browser origin, normalized as browsers send it.</summary>
    Origin,

    /// <summary>A Microsoft.Extensions.Logging level name less None, normalized.</summary>
    LogLevel,

    /// <summary>The SQLite database file.</summary>
    StoragePath,

    /// <summary>The gateway's canonical URI (RFC 8707): absolute http(s), no fragment.</summary>
    ResourceUrl,

    /// <summary>An OpenID Connect issuer: absolute http(s), https unless loopback.</summary>
    IssuerUrl,

    /// <summary>An OAuth token endpoint: https unless loopback, no credentials, no fragment.</summary>
    TokenUrl,

    /// <summary>An RFC 8707 resource parameter, kept as text.</summary>
    OAuthResource,

    /// <summary>One OAuth scope token (RFC 6749 §3.3).</summary>
    Scope,

    /// <summary>Space-separated OAuth scopes.</summary>
    Scopes,

    /// <summary>An asymmetric JWS algorithm.</summary>
    Algorithm,

    /// <summary>A JWKS file path.</summary>
    JwksPath,

    /// <summary>An identity-provider group name, not blank.</summary>
    GroupName,

    /// <summary>A token-time tolerance: a duration of at most 5 minutes.</summary>
    ClockSkew,

    /// <summary>A claim name, not empty.</summary>
    ClaimName,

    /// <summary>An OAuth client authentication method.</summary>
    ClientAuthentication,

    /// <summary>An absolute file-system path.</summary>
    AbsolutePath,

    /// <summary>A remote upstream's URL, references resolved before it is checked.</summary>
    UpstreamUrl,

    /// <summary>auto, legacy or modern.</summary>
    Era,

    /// <summary>A masking strategy name.</summary>
    Strategy,

    /// <summary>How many characters partial masking keeps.</summary>
    KeepLast,

    /// <summary>A webhook receiver's URL, references resolved before it is checked: https, or http on loopback; never quoted.</summary>
    WebhookUrl,

    /// <summary>The gateway's address for people (links in notices): absolute, https unless loopback, no query or fragment.</summary>
    PublicUrl,

    /// <summary>A notice kind, or a pattern with <c>*</c> that selects at least one (<see cref="NoticeKinds"/>).</summary>
    NoticeKind,
}
