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

    /// <summary>Why it was refused: one of <see cref="AuthenticationFailures"/>; null on success.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Whose credential it was, for the refusal's log line: a configured issuer or an agent key's id, never text
    /// taken from a credential that did not verify (an untrusted issuer name is the sender's to choose).
    /// </summary>
    public string? Source { get; init; }

    public static AuthenticationOutcome Success(VerifiedIdentity identity) => new(identity, 200, null, null);

    /// <summary>401: the credentials are bad; <c>invalid_token</c> as RFC 6750 §3.1 says. The description must not quote the credential.</summary>
    public static AuthenticationOutcome Unauthorized(string reason, string description, string? source = null) =>
        new(null, 401, "invalid_token", description) { Reason = reason, Source = source };

    /// <summary>503: the gateway cannot check credentials right now (identity provider or key store unreachable); it refuses rather than guess.</summary>
    public static AuthenticationOutcome Unavailable(string reason, string description, string? source = null) =>
        new(null, 503, "temporarily_unavailable", description) { Reason = reason, Source = source };
}
