using System.Collections.Frozen;

namespace Proctor.Identity;

/// <summary>
/// Why a request's credentials were refused, as a closed set of stable codes: they label the
/// <c>proctor_auth_failures_total</c> metric and the refusal's log line (docs/reason-codes.md). The
/// caller reads a sentence; operators count and alert on these.
/// </summary>
public static class AuthenticationFailures
{
    public const string NoCredentials = "no_credentials";
    public const string TokenInQuery = "token_in_query";
    public const string MalformedHeader = "malformed_header";
    public const string TokenTooLarge = "token_too_large";
    public const string MalformedToken = "malformed_token";
    public const string AlgorithmNotAllowed = "algorithm_not_allowed";
    public const string UnsupportedCriticalHeader = "unsupported_critical_header";
    public const string UntrustedIssuer = "untrusted_issuer";
    public const string NoSubject = "no_subject";
    public const string NoExpiry = "no_expiry";
    public const string WrongAudience = "wrong_audience";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string UnknownKey = "unknown_key";
    public const string BadSignature = "bad_signature";
    public const string InvalidToken = "invalid_token";
    public const string IssuerUnavailable = "issuer_unavailable";
    public const string AgentKeysDisabled = "agent_keys_disabled";
    public const string AgentKeyMalformed = "agent_key_malformed";
    public const string AgentKeyUnknown = "agent_key_unknown";
    public const string AgentKeyRevoked = "agent_key_revoked";
    public const string AgentKeyExpired = "agent_key_expired";
    public const string AgentKeyStoreUnavailable = "agent_key_store_unavailable";
    public const string InsufficientScope = "insufficient_scope";

    public static FrozenSet<string> All { get; } = FrozenSet.Create(StringComparer.Ordinal,
    [
        NoCredentials, TokenInQuery, MalformedHeader, TokenTooLarge, MalformedToken, AlgorithmNotAllowed, UnsupportedCriticalHeader,
        UntrustedIssuer, NoSubject, NoExpiry, WrongAudience, Expired, NotYetValid, UnknownKey, BadSignature, InvalidToken,
        IssuerUnavailable, AgentKeysDisabled, AgentKeyMalformed, AgentKeyUnknown, AgentKeyRevoked, AgentKeyExpired,
        AgentKeyStoreUnavailable, InsufficientScope,
    ]);
}
