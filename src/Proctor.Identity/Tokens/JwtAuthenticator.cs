using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Proctor.Configuration.Models;

namespace Proctor.Identity.Tokens;

/// <summary>
/// Validates OAuth access tokens (JWT) for the gateway as resource server: the issuer must be one of
/// the configured ones, the signature must verify with that issuer's published keys (OIDC discovery
/// and JWKS, cached and refreshed by Microsoft.IdentityModel, including on an unknown <c>kid</c> at
/// most every <see cref="KeyRefreshFloor"/>), the audience must be the gateway's canonical URI
/// (RFC 8707), the algorithm must be on the asymmetric allow-list, and the lifetime must hold within
/// the configured skew. Keys named by the token itself (<c>jku</c>, <c>x5u</c>, <c>jwk</c>) are never used.
/// </summary>
public sealed class JwtAuthenticator
{
    /// <summary>Rate limit on key refreshes triggered by unknown kids, so bad tokens cannot hammer the provider.</summary>
    public static readonly TimeSpan KeyRefreshFloor = TimeSpan.FromSeconds(30);

    private readonly IdentitySettings _settings;
    private readonly FrozenDictionary<string, BaseConfigurationManager> _issuers;
    /// <summary>Bounds memory: one entry per distinct valid token seen within its lifetime.</summary>
    private const int MaxVerifiedTokens = 10_000;

    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };

    /// <summary>
    /// Tokens already verified, by SHA-256 of the whole token, so that a client sending the same token on
    /// every request pays for the signature once (an RS256 verification is ~50 µs, ES256 ~100 µs on the
    /// benchmark machine; docs/PERFORMANCE.md). An entry is used only until the token's <c>exp</c> and
    /// only while the issuer's current key set still holds the key that verified it (same material), so
    /// expiry and key withdrawal take effect exactly as without the cache. Only successes are cached.
    /// </summary>
    private readonly ConcurrentDictionary<TokenHash, Verified> _verified = new();

    public JwtAuthenticator(IdentitySettings settings, HttpClient http)
    {
        _settings = settings;
        _issuers = settings.Issuers.ToFrozenDictionary(
            issuer => issuer.OriginalString.TrimEnd('/'),
            issuer => settings.IssuerKeyFiles.TryGetValue(issuer.OriginalString.TrimEnd('/'), out var keyFile)
                ? PinnedKeys(issuer, keyFile)
                : Discovered(issuer, http),
            StringComparer.Ordinal);
    }

    private static BaseConfigurationManager Discovered(Uri issuer, HttpClient http) =>
        new ConfigurationManager<OpenIdConnectConfiguration>(
            issuer.OriginalString.TrimEnd('/') + "/.well-known/openid-configuration",
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever(http) { RequireHttps = issuer.Scheme == Uri.UriSchemeHttps })
        {
            RefreshInterval = KeyRefreshFloor,

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
        var hash = TokenHash.Of(token);
        if (_verified.TryGetValue(hash, out var verified) && await StillValidAsync(verified, cancellationToken).ConfigureAwait(false))
        {
            return verified.Outcome;
        }

        if (!_handler.CanReadToken(token))
        {
            return AuthenticationOutcome.Unauthorized("invalid_token", "The bearer token is not a JWT.");
        }

        var unverified = _handler.ReadJsonWebToken(token);
        if (!_settings.Algorithms.Contains(unverified.Alg, StringComparer.Ordinal))
        {
            // Checked first for a clear reason; the validation below would refuse it too (unsigned
            // tokens, and HMAC keyed with a public key, never verify against the allow-list).
            return AuthenticationOutcome.Unauthorized("invalid_token", $"Tokens signed with '{unverified.Alg}' are refused; allowed: {string.Join(", ", _settings.Algorithms)}.");
        }

        if (!_issuers.TryGetValue(unverified.Issuer.TrimEnd('/'), out var issuer))
        {
            return AuthenticationOutcome.Unauthorized("invalid_token", $"Tokens from issuer '{unverified.Issuer}' are not trusted here (identity.issuers).");
        }

        try
        {
            // Fetched (or taken from the cache) here so that an unreachable provider is told apart
            // from a bad token: the gateway cannot decide, so it fails closed with 503.
            await issuer.GetBaseConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return AuthenticationOutcome.Unavailable($"The signing keys of '{unverified.Issuer}' could not be fetched, so the token cannot be checked; calls are refused until they can be.");
        }

        var result = await _handler.ValidateTokenAsync(unverified, Parameters(issuer, unverified.Issuer)).ConfigureAwait(false); // parsed once, above
        if (!result.IsValid)
        {
            return Refusal(result.Exception, unverified);
        }

        var outcome = AuthenticationOutcome.Success(IdentityOf((JsonWebToken)result.SecurityToken, unverified.Issuer));
        if (_verified.Count >= MaxVerifiedTokens)
        {
            _verified.Clear();
        }

        if (result.SecurityToken.SigningKey is { } signingKey && signingKey.CanComputeJwkThumbprint())
        {
            _verified[hash] = new Verified(outcome, issuer, signingKey, signingKey.ComputeJwkThumbprint(), new DateTimeOffset(unverified.ValidTo, TimeSpan.Zero));
        }

        return outcome;
    }

    /// <summary>
    /// Not expired, and the key that verified it is still published (the issuer's keys are cached, so this
    /// is cheap). The key is matched by its material, not by <c>kid</c> alone: an issuer that replaces a
    /// key under the same <c>kid</c>, or publishes keys without one, has withdrawn the old key too.
    /// </summary>
    private static async Task<bool> StillValidAsync(Verified verified, CancellationToken cancellationToken)
    {
        if (DateTimeOffset.UtcNow >= verified.Expires)
        {
            return false;
        }

        BaseConfiguration configuration;
        try
        {
            configuration = await verified.Issuer.GetBaseConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            return false; // the full path reports the unreachable provider
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

    private TokenValidationParameters Parameters(BaseConfigurationManager issuer, string tokenIssuer) => new()
    {
        ConfigurationManager = issuer,
        ValidIssuer = tokenIssuer,
        ValidAudiences = [_settings.Resource.OriginalString, _settings.Resource.AbsoluteUri],
        ValidAlgorithms = _settings.Algorithms,
        ClockSkew = _settings.ClockSkew,
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        ValidateWithLKG = false,
    };

    private AuthenticationOutcome Refusal(Exception? exception, JsonWebToken token) => AuthenticationOutcome.Unauthorized("invalid_token", exception switch
    {
        SecurityTokenExpiredException => $"The token expired at {token.ValidTo:O}; get a new one.",
        SecurityTokenNotYetValidException => $"The token is not valid before {token.ValidFrom:O}.",
        SecurityTokenInvalidAudienceException => $"The token's audience is not this gateway; request it with resource={_settings.Resource.OriginalString}.",
        SecurityTokenInvalidAlgorithmException => $"Tokens signed with {token.Alg} are refused; allowed: {string.Join(", ", _settings.Algorithms)}.",
        SecurityTokenSignatureKeyNotFoundException => $"No published key of the issuer matches the token's key id '{token.Kid}'.",
        SecurityTokenInvalidSignatureException => "The token's signature does not verify.",
        SecurityTokenNoExpirationException => "The token has no expiry (exp); such tokens are refused.",
        _ => $"The token was refused: {exception?.GetType().Name ?? "invalid"}.",
    });

    private VerifiedIdentity IdentityOf(JsonWebToken token, string issuer) => new(
        issuer,
        token.Subject ?? token.GetPayloadValueOrDefault("client_id") ?? "",
        token.GetPayloadValueOrDefault("client_id"),
        Strings(token, _settings.GroupsClaim),
        Strings(token, "amr"),
        token.GetPayloadValueOrDefault("acr"),
        token.TryGetPayloadValue<long>("auth_time", out var authTime) ? DateTimeOffset.FromUnixTimeSeconds(authTime) : null,
        Strings(token, "scope").SelectMany(s => s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToArray());

    /// <summary>A claim that is an array of strings, or one string (space-separated for scope).</summary>
    private static string[] Strings(JsonWebToken token, string claim)
    {
        if (token.TryGetPayloadValue<string[]>(claim, out var many) && many is not null)
        {
            return many;
        }

        if (token.TryGetPayloadValue<JsonElement>(claim, out var element) && element.ValueKind == JsonValueKind.Array)
        {
            return element.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray();
        }

        return token.TryGetPayloadValue<string>(claim, out var one) && one is not null ? [one] : [];
    }
}

internal sealed record Verified(AuthenticationOutcome Outcome, BaseConfigurationManager Issuer, SecurityKey Key, byte[] Thumbprint, DateTimeOffset Expires);

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

internal static class JsonWebTokenExtensions
{
    public static string? GetPayloadValueOrDefault(this JsonWebToken token, string claim) =>
        token.TryGetPayloadValue<string>(claim, out var value) ? value : null;
}
