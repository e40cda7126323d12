namespace Proctor.Configuration;

/// <summary>
/// The <c>identity:</c> section: the gateway as an OAuth 2.1 resource server. <see cref="Resource"/>
/// is the gateway's canonical URI: tokens MUST carry it as audience (RFC 8707) and it is the
/// <c>resource</c> of the protected-resource metadata (RFC 9728).
/// </summary>
public sealed record IdentitySettings(Uri Resource, IReadOnlyList<Uri> Issuers, string GroupsClaim, IReadOnlyList<string> Algorithms, TimeSpan ClockSkew)
{
    /// <summary>Whether bearer values with the agent-key prefix (<c>prk_</c>) are checked against the key store. Default true.</summary>
    public bool AgentKeys { get; init; } = true;

    /// <summary>Scopes advertised as <c>scopes_supported</c> in the protected-resource metadata; empty: not advertised.</summary>
    public IReadOnlyList<string> ScopesSupported { get; init; } = [];

    /// <summary>
    /// Issuers whose public keys are pinned from a JWKS file (absolute path) instead of fetched through
    /// discovery: for networks where the gateway cannot reach the identity provider, and for the demo.
    /// </summary>
    public IReadOnlyDictionary<string, string> IssuerKeyFiles { get; init; } = new Dictionary<string, string>();

    /// <summary>Role (one of <see cref="IdentityRoles.Known"/>) → the identity-provider groups whose members hold it; empty: nobody holds a role.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Roles { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Whether a member of <paramref name="groups"/> holds <paramref name="role"/>.</summary>
    public bool Grants(string role, IReadOnlyList<string> groups) =>
        Roles.TryGetValue(role, out var granted) && granted.Any(group => groups.Contains(group, StringComparer.Ordinal));
}
