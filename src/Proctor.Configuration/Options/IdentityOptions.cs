namespace Proctor.Configuration.Options;

/// <summary>The <c>identity:</c> section as written. Absent: every caller is anonymous.</summary>
internal sealed class IdentityOptions
{
    public const string DefaultGroupsClaim = "groups";
    public const string DefaultClockSkew = "30s";

    /// <summary>Asymmetric algorithms only: HMAC would let anyone holding a public key sign, and <c>none</c> signs nothing.</summary>
    public static readonly string[] AllowedAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    public string? Resource { get; set; }

    public List<string>? Issuers { get; set; }

    public string? GroupsClaim { get; set; }

    public List<string>? Algorithms { get; set; }

    public string? ClockSkew { get; set; }

    /// <summary>Accept agent keys (<c>prk_…</c>) as bearer credentials; default true.</summary>
    public string? AgentKeys { get; set; }

    public List<string>? ScopesSupported { get; set; }

    /// <summary>Issuer URL → JWKS file: keys pinned from a file instead of fetched by discovery.</summary>
    public OrderedDictionary<string, string>? IssuerKeys { get; set; }

    /// <summary>Role (one of <see cref="IdentityRoles.Known"/>) → the identity-provider groups whose members hold it.</summary>
    public OrderedDictionary<string, List<string>>? Roles { get; set; }
}
