using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Proctor.Identity.AgentKeys;

/// <summary>
/// Checks agent keys (<c>prk_…</c>) presented as bearer credentials against the <see cref="IAgentKeyStore"/>.
/// Lookups are cached for <see cref="CacheLifetime"/>, so a revocation takes effect within that bound on
/// every gateway sharing the store; expiry is checked against the clock on every request, never cached.
/// A valid key gives the identity <c>agent:NAME</c> issued by <see cref="Issuer"/>, with the key's
/// groups, no scopes and no MFA facts.
/// </summary>
public sealed class AgentKeyAuthenticator(IAgentKeyStore store, TimeProvider? time = null)
{
    /// <summary>The issuer of agent identities: the gateway itself.</summary>
    public const string Issuer = "proctor:agent-keys";

    public const string Method = "agent-key";

    /// <summary>Revocation bound: a revoked key keeps working on a gateway for at most this long.</summary>
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(5);

    /// <summary>Bounds memory when someone sprays random keys (each unknown key is cached as unknown).</summary>
    private const int MaxCachedEntries = 10_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<HashKey, Entry> _cache = new();

    public async ValueTask<AuthenticationOutcome> AuthenticateAsync(string key, CancellationToken cancellationToken)
    {
        if (!AgentKeyFormat.IsWellFormed(key))
        {
            // Refused before the store is asked: a value no 'proctor keys create' made cannot match, and is not worth a lookup.
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.AgentKeyMalformed,
                $"The agent key is not well-formed: agent keys are '{AgentKeyFormat.Prefix}' and 43 base64url characters; check that it was copied whole.");
        }

        var hash = new byte[SHA256.HashSizeInBytes];
        AgentKeyFormat.Hash(key, hash);
        var cacheKey = HashKey.Of(hash);
        var now = _time.GetUtcNow();
        if (!_cache.TryGetValue(cacheKey, out var entry) || now - entry.FetchedAt >= CacheLifetime)
        {
            (AgentKey Key, byte[] StoredHash)? found;
            try
            {
                found = await store.FindByHashAsync(hash, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return AuthenticationOutcome.Unavailable(AuthenticationFailures.AgentKeyStoreUnavailable, "The agent key store cannot be read, so the key cannot be checked; calls are refused until it can.");
            }

            if (_cache.Count >= MaxCachedEntries)
            {
                _cache.Clear();
            }

            entry = Entry.Of(found, now);
            _cache[cacheKey] = entry;
        }

        // The store found the row through an index on the hash; compare again in constant time so the
        // decision itself does not depend on how many leading bytes matched.
        if (entry.Key is not { } agent || entry.StoredHash is null || entry.Verified is null || !CryptographicOperations.FixedTimeEquals(entry.StoredHash, hash))
        {
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.AgentKeyUnknown, "The agent key is not known to this gateway; check that it was copied whole, or create one with 'proctor keys create'.");
        }

        if (agent.RevokedAt is { } revoked)
        {
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.AgentKeyRevoked, $"The agent key '{agent.Name}' was revoked at {revoked:O}; create a new one with 'proctor keys create'.", agent.Id);
        }

        if (now >= agent.ExpiresAt)
        {
            return AuthenticationOutcome.Unauthorized(AuthenticationFailures.AgentKeyExpired, $"The agent key '{agent.Name}' expired at {agent.ExpiresAt:O}; create a new one with 'proctor keys create'.", agent.Id);
        }

        return entry.Verified;
    }

    /// <param name="Verified">The success outcome, made once per lookup rather than per request; only returned after the checks above.</param>
    private sealed record Entry(AgentKey? Key, byte[]? StoredHash, DateTimeOffset FetchedAt, AuthenticationOutcome? Verified)
    {
        public static Entry Of((AgentKey Key, byte[] StoredHash)? found, DateTimeOffset fetchedAt) => found is not { } row
            ? new Entry(null, null, fetchedAt, null)
            : new Entry(row.Key, row.StoredHash, fetchedAt,
                AuthenticationOutcome.Success(new VerifiedIdentity(Issuer, row.Key.Subject, row.Key.Id, row.Key.Groups, [], null, null, []) { Method = Method }));
    }

    /// <summary>The 32-byte hash as a value, so a cache lookup allocates nothing.</summary>
    private readonly record struct HashKey(ulong A, ulong B, ulong C, ulong D)
    {
        public static HashKey Of(ReadOnlySpan<byte> hash) => new(
            BinaryPrimitives.ReadUInt64LittleEndian(hash),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
    }
}
