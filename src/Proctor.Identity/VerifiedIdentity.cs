namespace Proctor.Identity;

/// <summary>
/// Who a verified token says the caller is, with the facts an examiner asks for (IA-2): issuer,
/// subject, groups, and how and when they authenticated (<c>amr</c>, <c>acr</c>, <c>auth_time</c>).
/// </summary>
public sealed record VerifiedIdentity(
    string Issuer,
    string Subject,
    string? ClientId,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> AuthenticationMethods,
    string? AuthenticationContext,
    DateTimeOffset? AuthenticatedAt,
    IReadOnlyList<string> Scopes)
{
    /// <summary>How the caller proved who they are to the gateway: <c>oidc</c> (a JWT access token) or <c>agent-key</c>.</summary>
    public string Method { get; init; } = "oidc";
}

/// <summary>The result of checking a request's credentials: an identity, or why not and with which HTTP status.</summary>
public sealed record AuthenticationOutcome(VerifiedIdentity? Identity, int Status, string? Error, string? Description)
{
    public bool Succeeded => Identity is not null;

    public static AuthenticationOutcome Success(VerifiedIdentity identity) => new(identity, 200, null, null);

    /// <summary>401: the credentials are missing or bad; <paramref name="error"/> is the RFC 6750 code (null when no token was sent).</summary>
    public static AuthenticationOutcome Unauthorized(string? error, string description) => new(null, 401, error, description);

    /// <summary>503: the gateway cannot check tokens right now (identity provider unreachable); it refuses rather than guess.</summary>
    public static AuthenticationOutcome Unavailable(string description) => new(null, 503, "temporarily_unavailable", description);
}
