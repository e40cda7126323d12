using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// The <c>identity:</c> section: the gateway as an OAuth 2.1 resource server. <see cref="Resource"/>
/// is the gateway's canonical URI: tokens MUST carry it as audience (RFC 8707) and it is the
/// <c>resource</c> of the protected-resource metadata (RFC 9728).
/// </summary>
public sealed record IdentitySettings(
    [property: Setting("a URL", "\"https://gateway.example.com/mcp\"", Format = ValueFormat.ResourceUrl,
        Required = "is required: the gateway's canonical URI, which tokens must carry as their audience; use e.g. \"https://gateway.example.com/mcp\"")]
    Uri Resource,
    [property: Setting("a list of issuer URLs", "\"https://login.example.com\"", ItemWhat = "an issuer URL", Format = ValueFormat.IssuerUrl,
        Required = "lists no issuer: name at least one OpenID Connect issuer whose tokens the gateway accepts, e.g. [\"https://login.example.com\"]")]
    IReadOnlyList<Uri> Issuers,
    [property: Setting("a claim name", "\"groups\"", Format = ValueFormat.ClaimName)] string GroupsClaim,
    [property: Setting("a list of algorithms", "\"RS256\"", ItemWhat = "an algorithm", Format = ValueFormat.Algorithm, Set = true)] IReadOnlyList<string> Algorithms,
    [property: Setting("a duration", "\"30s\"", Format = ValueFormat.ClockSkew)] TimeSpan ClockSkew)
{
    /// <summary>Asymmetric algorithms only: HMAC would let anyone holding a public key sign, and <c>none</c> signs nothing.</summary>
    public static readonly string[] AllowedAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>Defaults; <see cref="Resource"/> and <see cref="Issuers"/> have none and must be written.</summary>
    public IdentitySettings()
        : this(null!, [], "groups", AllowedAlgorithms, TimeSpan.FromSeconds(30))
    {
    }

    /// <summary>Whether bearer values with the agent-key prefix (<c>prk_</c>) are checked against the key store. Default true.</summary>
    [Setting("true or false", "true")]
    public bool AgentKeys { get; init; } = true;

    /// <summary>Scopes advertised as <c>scopes_supported</c> in the protected-resource metadata; empty: not advertised.</summary>
    [Setting("a list of scopes", "\"mcp:bank.read\"", ItemWhat = "a scope", SplitExample = true, Format = ValueFormat.Scope, Set = true)]
    public IReadOnlyList<string> ScopesSupported { get; init; } = [];

    /// <summary>
    /// Issuers whose public keys are pinned from a JWKS file (absolute path in the model) instead of fetched
    /// through discovery: for networks where the gateway cannot reach the identity provider, and for the demo.
    /// </summary>
    [Setting("a map from issuer URL to a JWKS file", "{ \"https://login.example.com\": \"keys/login.jwks.json\" }", Key = "issuerKeys", Format = ValueFormat.JwksPath)]
    public IReadOnlyDictionary<string, string> IssuerKeyFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>Role (one of <see cref="IdentityRoles.Known"/>) → the identity-provider groups whose members hold it; empty: nobody holds a role.</summary>
    [Setting("a map from role to a list of groups", "{ auditor: [\"auditors\"] }", ValueWhat = "a list of groups", ItemWhat = "a group", ItemExample = "\"auditors\"",
        Format = ValueFormat.GroupName, Set = true, OverrideKeys = OverrideKeys.Lower)]
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Roles { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Whether a member of <paramref name="groups"/> holds <paramref name="role"/>.</summary>
    public bool Grants(string role, IReadOnlyList<string> groups) =>
        Roles.TryGetValue(role, out var granted) && granted.Any(group => groups.Contains(group, StringComparer.Ordinal));
}
