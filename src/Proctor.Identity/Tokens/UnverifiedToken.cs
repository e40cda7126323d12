namespace Proctor.Identity.Tokens;

/// <summary>
/// What a bearer token says about itself, read strictly (<see cref="CompactTokenReader"/>) before its signature is
/// checked. Nothing here is believed until the signature verifies; reading it first only guarantees that every
/// later step, the identity library's included, is handed well-formed values.
/// </summary>
internal sealed record UnverifiedToken(
    string Algorithm,
    string Issuer,
    string Subject,
    DateTimeOffset Expires,
    DateTimeOffset? NotBefore)
{
    public string? ClientId { get; init; }

    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary><c>amr</c> (RFC 8176).</summary>
    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    /// <summary><c>acr</c>.</summary>
    public string? AuthenticationContext { get; init; }

    /// <summary><c>auth_time</c>.</summary>
    public DateTimeOffset? AuthenticatedAt { get; init; }

    /// <summary><c>scope</c>, split on spaces (RFC 9068 §2.2.3.1); an array of strings is taken as is.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The identity the gateway records once the signature has verified.</summary>
    public VerifiedIdentity ToIdentity() =>
        new(Issuer, Subject, ClientId, Groups, AuthenticationMethods, AuthenticationContext, AuthenticatedAt, Scopes);
}
