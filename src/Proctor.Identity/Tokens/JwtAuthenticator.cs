using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Proctor.Configuration.Models;

namespace Proctor.Identity.Tokens;

/// <summary>
/// Validates OAuth access tokens (JWT) for the gateway as resource server: the token must be a well-formed
/// compact JWS whose claims have the types the gateway relies on and which names a subject
/// (<see cref="CompactTokenReader"/>), the issuer must be one of the configured ones, the signature must
/// verify with that issuer's published keys (OIDC discovery and JWKS, cached and refreshed by
/// Microsoft.IdentityModel, and fetched again on an unknown <c>kid</c> at most every <see cref="IssuerKeys.KeyRefreshFloor"/>),
/// the audience must be the gateway's canonical URI (RFC 8707), the algorithm must be on the asymmetric
/// allow-list, and the lifetime must hold within the configured skew. Keys named by the token itself
/// (<c>jku</c>, <c>x5u</c>, <c>jwk</c>) are never used. No token, however malformed, makes it throw.
/// </summary>
public sealed class JwtAuthenticator : IIdentityHealth
{
    private readonly IdentitySettings _settings;
    private readonly TimeProvider _time;
    private readonly LifetimeValidator _lifetime;
    private readonly FrozenDictionary<string, IssuerKeys> _issuers;
    private readonly string _trusted;

    /// <summary>Bounds memory: one entry per distinct valid token seen within its lifetime.</summary>
    private const int MaxVerifiedTokens = 10_000;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false, MaximumTokenSizeInBytes = CompactTokenReader.MaxTokenChars };

    /// <summary>
    /// Tokens already verified, by SHA-256 of the whole token, so that a client sending the same token on
    /// every request pays for the signature once (an RS256 verification is ~50 µs, ES256 ~100 µs on the
    /// benchmark machine; docs/PERFORMANCE.md). An entry is used only until the token's <c>exp</c> and
    /// only while the issuer's current key set still holds the key that verified it (same material), so
    /// expiry and key withdrawal take effect exactly as without the cache. Only successes are cached.
    /// </summary>
    private readonly ConcurrentDictionary<TokenHash, Verified> _verified = new();

    public JwtAuthenticator(IdentitySettings settings, HttpClient http, ILogger<JwtAuthenticator>? logger = null, TimeProvider? time = null)
    {
        _settings = settings;
        _time = time ?? TimeProvider.System;
        _lifetime = LifetimeHolds;
        var log = (ILogger?)logger ?? NullLogger.Instance;
        _issuers = settings.Issuers.ToFrozenDictionary(
            issuer => issuer.OriginalString.TrimEnd('/'),
            issuer =>
            {
                var name = issuer.OriginalString.TrimEnd('/');
                var pinned = settings.IssuerKeyFiles.TryGetValue(name, out var keyFile);
                return new IssuerKeys(name, pinned ? PinnedKeys(issuer, keyFile!) : Discovered(issuer, http), pinned, _time, log);
            },
            StringComparer.Ordinal);
        _trusted = string.Join(", ", _issuers.Keys);
    }

    private static BaseConfigurationManager Discovered(Uri issuer, HttpClient http) =>
        new ConfigurationManager<OpenIdConnectConfiguration>(
            issuer.OriginalString.TrimEnd('/') + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = issuer.Scheme == Uri.UriSchemeHttps })
        {
            // The floor on refetching is IssuerKeys.KeyRefreshFloor, on the gateway's clock; the library's own
            // (on the system clock) is set to its minimum so that it never binds first.
            RefreshInterval = ConfigurationManager<OpenIdConnectConfiguration>.MinimumRefreshInterval,

            // A key the issuer has withdrawn must stop working at the next refresh, not linger as
            // a "last known good" configuration for an hour.
            UseLastKnownGoodConfiguration = false,
        };

    /// <summary>Keys read once from a JWKS file (identity.issuerKeys): nothing is fetched; rotating them means a new file and a restart.</summary>
    private static BaseConfigurationManager PinnedKeys(Uri issuer, string jwksFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(jwksFile);
        }
        catch (IOException ex)
        {
            throw new InvalidOperationException($"identity.issuerKeys: the JWKS file of {issuer} cannot be read ({ex.Message}); fix the path or the file's permissions.", ex);
        }

        var configuration = new OpenIdConnectConfiguration { Issuer = issuer.OriginalString.TrimEnd('/'), JsonWebKeySet = new JsonWebKeySet(text) };
        foreach (var key in configuration.JsonWebKeySet.GetSigningKeys())
        {
            configuration.SigningKeys.Add(key);
        }

        return new StaticConfigurationManager<OpenIdConnectConfiguration>(configuration);
    }

    public async Task<AuthenticationOutcome> AuthenticateAsync(string token, CancellationToken cancellationToken)
    {
        if (token.Length <= CompactTokenReader.MaxTokenChars
            && _verified.TryGetValue(TokenHash.Of(token), out var verified)
            && await StillValidAsync(verified, cancellationToken).ConfigureAwait(false))
        {
            return verified.Outcome;
        }

        if (!CompactTokenReader.TryRead(token, _settings, out var read, out var refusal))
        {
            return refusal;
        }

        if (!_issuers.TryGetValue(read.Issuer.TrimEnd('/'), out var issuer))
        {
            // The issuer is the sender's text, so it is not quoted back; the trusted ones are public (RFC 9728 metadata).
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.UntrustedIssuer,
                $"The token's issuer (iss) is not trusted here; trusted: {_trusted} (identity.issuers).");
        }

        // Fetched (or taken from the cache) here so that an unreachable provider is told apart
        // from a bad token: the gateway cannot decide, so it fails closed with 503.
        if (await issuer.GetAsync(cancellationToken).ConfigureAwait(false) is not { } keys)
        {
            return AuthenticationOutcome.Unavailable(AuthenticationFailures.IssuerUnavailable,
                $"The signing keys of '{issuer.Issuer}' could not be fetched, so the token cannot be checked; calls are refused until they can be.", issuer.Issuer);
        }

        TokenValidationResult result;
        try
        {
            result = await _handler.ValidateTokenAsync(token, Parameters(keys, read.Issuer)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or JsonException or OverflowException or SecurityTokenException)
        {
            // The reader above admits only what the library is known to read; this is the backstop for what it missed.
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.MalformedToken, "The bearer token is not a well-formed JWT access token.", issuer.Issuer);
        }

        if (!result.IsValid)
        {
            if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            {
                // The issuer may have rotated its keys: the next token sees the refetched set.
                issuer.RequestRefresh();
            }

            return Refusal(result.Exception, read) with { Source = issuer.Issuer };
        }

        var outcome = AuthenticationOutcome.Success(read.ToIdentity());
        if (_verified.Count >= MaxVerifiedTokens)
        {
            _verified.Clear();
        }

        if (result.SecurityToken.SigningKey is { } signingKey && signingKey.CanComputeJwkThumbprint())
        {
            _verified[TokenHash.Of(token)] = new Verified(outcome, issuer, signingKey, signingKey.ComputeJwkThumbprint(), read.Expires);
        }

        return outcome;
    }

    public async Task<IReadOnlyList<IssuerKeyHealth>> CheckAsync(CancellationToken cancellationToken)
    {
        // In parallel: a probe then takes as long as the slowest provider, not the sum of them.
        var pending = new List<Task>();
        foreach (var issuer in _issuers.Values)
        {
            if (issuer.Health.State != IssuerKeyState.Ready)
            {
                pending.Add(issuer.GetAsync(cancellationToken));
            }
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
        var states = new IssuerKeyHealth[_issuers.Count];
        var i = 0;
        foreach (var issuer in _issuers.Values)
        {
            states[i++] = issuer.Health;
        }

        return states;
    }

    /// <summary>
    /// Not expired, and the key that verified it is still published (the issuer's keys are cached, so this
    /// is cheap). The key is matched by its material, not by <c>kid</c> alone: an issuer that replaces a
    /// key under the same <c>kid</c>, or publishes keys without one, has withdrawn the old key too.
    /// </summary>
    private async Task<bool> StillValidAsync(Verified verified, CancellationToken cancellationToken)
    {
        if (_time.GetUtcNow() >= verified.Expires)
        {
            return false;
        }

        // Null: the full path reports the unreachable provider.
        if (await verified.Issuer.GetAsync(cancellationToken).ConfigureAwait(false) is not { } configuration)
        {
            return false;
        }

        foreach (var key in configuration.SigningKeys)
        {
            if (ReferenceEquals(key, verified.Key)
                || (string.Equals(key.KeyId, verified.Key.KeyId, StringComparison.Ordinal)
                    && key.CanComputeJwkThumbprint()
                    && key.ComputeJwkThumbprint().AsSpan().SequenceEqual(verified.Thumbprint)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The keys are passed, not the configuration manager, so that the library never refetches on its own: an
    /// unknown <c>kid</c> asks <see cref="IssuerKeys"/>, whose floor runs on the gateway's clock.
    /// </summary>
    private TokenValidationParameters Parameters(BaseConfiguration keys, string tokenIssuer) => new()
    {
        IssuerSigningKeys = keys.SigningKeys,
        ValidIssuer = tokenIssuer,
        ValidAudiences = [_settings.Resource.OriginalString, _settings.Resource.AbsoluteUri],
        ValidAlgorithms = _settings.Algorithms,
        ClockSkew = _settings.ClockSkew,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        LifetimeValidator = _lifetime,
        ValidateIssuerSigningKey = true,
        ValidateWithLKG = false,
    };

    /// <summary>
    /// The library's own lifetime rule (exp and nbf each widened by the configured skew) on the gateway's clock: the
    /// library reads the system clock, and its <c>TimeProvider</c> property is not public. A false here becomes a
    /// <see cref="SecurityTokenInvalidLifetimeException"/>, which <see cref="Refusal"/> names as expired or not yet valid.
    /// </summary>
    private bool LifetimeHolds(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        return expires is { } exp
            && now <= exp + _settings.ClockSkew
            && (notBefore is not { } nbf || (nbf <= exp && nbf <= now + _settings.ClockSkew));
    }

    /// <summary>A refusal by the library, in the gateway's words; times come from the strictly read claims, never the library's parse.</summary>
    private AuthenticationOutcome Refusal(Exception? exception, UnverifiedToken token) => exception switch
    {
        SecurityTokenExpiredException => Unauthorized(AuthenticationFailures.Expired, $"The token expired at {token.Expires:O}; get a new one."),
        SecurityTokenNotYetValidException => Unauthorized(AuthenticationFailures.NotYetValid, $"The token is not valid before {token.NotBefore:O}."),
        SecurityTokenInvalidAudienceException => Unauthorized(AuthenticationFailures.WrongAudience, $"The token's audience is not this gateway; request it with resource={_settings.Resource.OriginalString}."),
        SecurityTokenInvalidAlgorithmException => Unauthorized(AuthenticationFailures.AlgorithmNotAllowed, $"Tokens signed with {token.Algorithm} are refused; allowed: {string.Join(", ", _settings.Algorithms)}."),
        SecurityTokenSignatureKeyNotFoundException => Unauthorized(AuthenticationFailures.UnknownKey, "No published key of the issuer matches the token's key id (kid)."),
        SecurityTokenInvalidSignatureException => Unauthorized(AuthenticationFailures.BadSignature, "The token's signature does not verify."),
        SecurityTokenNoExpirationException => Unauthorized(AuthenticationFailures.NoExpiry, "The token has no expiry (exp); such tokens are refused."),

        // Not-before after expiry: name whichever end the token is past.
        SecurityTokenInvalidLifetimeException when token.Expires <= _time.GetUtcNow() => Unauthorized(AuthenticationFailures.Expired, $"The token expired at {token.Expires:O}; get a new one."),
        SecurityTokenInvalidLifetimeException => Unauthorized(AuthenticationFailures.NotYetValid, $"The token is not valid before {token.NotBefore:O}."),

        // The library reads a member the strict reader does not know and cannot take its value.
        ArgumentException or FormatException or JsonException or OverflowException => Unauthorized(AuthenticationFailures.MalformedToken, "The bearer token is not a well-formed JWT access token."),
        _ => Unauthorized(AuthenticationFailures.InvalidToken, $"The token was refused: {exception?.GetType().Name ?? "invalid"}."),
    };

    private static AuthenticationOutcome Unauthorized(string reason, string description) => AuthenticationOutcome.Unauthorized(reason, description);
}

internal sealed record Verified(AuthenticationOutcome Outcome, IssuerKeys Issuer, SecurityKey Key, byte[] Thumbprint, DateTimeOffset Expires);

/// <summary>SHA-256 of a token as a value, so a cache lookup allocates nothing beyond the hash input.</summary>
internal readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
{
    public static TokenHash Of(string token)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetByteCount(token) <= 4096 ? stackalloc byte[4096] : new byte[Encoding.UTF8.GetByteCount(token)];
        var length = Encoding.UTF8.GetBytes(token, bytes);
        SHA256.HashData(bytes[..length], hash);
        return new TokenHash(
            BinaryPrimitives.ReadUInt64LittleEndian(hash),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
    }
}
