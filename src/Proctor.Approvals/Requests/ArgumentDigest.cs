using System.Security.Cryptography;
using System.Text.Json;
using Proctor.Ledger.Canonical;

namespace Proctor.Approvals.Requests;

/// <summary>
/// The arguments an approval is bound to, as a digest: HMAC-SHA-256 of their RFC 8785 canonical form (the ledger's
/// canonicalizer), lowercase hex. Canonical form makes key order, whitespace and escapes no difference; anything else
/// is. Keyed rather than a bare SHA-256 (decision 0037): arguments hold low-entropy values (an SSN, an account number)
/// that anyone holding a bare hash could find by trying every one, and the digest is stored unmasked.
/// </summary>
public sealed class ArgumentDigest
{
    private readonly byte[] _key;

    /// <param name="key">The gateway's secret, at least 32 bytes; the same across restarts, or approvals given before one would no longer match.</param>
    public ArgumentDigest(ReadOnlySpan<byte> key)
    {
        if (key.Length < 32)
        {
            throw new ArgumentException($"The arguments digest key is {key.Length} bytes; it needs at least 32.", nameof(key));
        }

        _key = key.ToArray();
    }

    /// <summary>The digest of <paramref name="arguments"/>; absent arguments (<c>Undefined</c>) digest as an empty object, as a tool sees them.</summary>
    public string Of(JsonElement arguments)
    {
        var canonical = arguments.ValueKind == JsonValueKind.Undefined ? "{}"u8.ToArray() : JsonCanonicalizer.Canonicalize(arguments);
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, canonical));
    }
}
