using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Proctor.Identity.AgentKeys;

/// <summary>
/// How agent keys look: <c>prk_</c> followed by 32 random bytes in base64url (43 characters). The prefix
/// tells them apart from JWTs at a glance (a JWT starts with <c>eyJ</c>) and lets secret scanners find
/// a leaked key; the gateway routes a bearer value by it.
/// </summary>
public static class AgentKeyFormat
{
    public const string Prefix = "prk_";

    /// <summary>256 bits from a CSPRNG: guessing is hopeless, which is what lets a plain hash stand in for the key.</summary>
    private const int RandomBytes = 32;

    public static bool LooksLikeAgentKey(ReadOnlySpan<char> bearer) => bearer.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The prefix and exactly the base64url text of <see cref="RandomBytes"/> bytes (43 characters, no padding), as <see cref="NewKey"/> makes them.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (!LooksLikeAgentKey(key) || key.Length != Prefix.Length + Base64Url.GetEncodedLength(RandomBytes))
        {
            return false;
        }

        foreach (var c in key[Prefix.Length..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    public static string NewKey() => Prefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes));

    /// <summary>A short public identifier for listing and revoking (not secret, not derived from the key).</summary>
    public static string NewId() => "ak_" + RandomNumberGenerator.GetHexString(12, lowercase: true);

    /// <summary>
    /// SHA-256 of the key's UTF-8 bytes. A fast unsalted hash is enough here, unlike for passwords: the
    /// key carries 256 random bits, so there is no dictionary to try and a stolen hash cannot be
    /// reversed by brute force. It is also what keeps per-request checks in microseconds.
    /// </summary>
    public static void Hash(ReadOnlySpan<char> key, Span<byte> destination)
    {
        Span<byte> utf8 = stackalloc byte[128];
        if (Encoding.UTF8.GetMaxByteCount(key.Length) > utf8.Length)
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()), destination);
            return;
        }

        var written = Encoding.UTF8.GetBytes(key, utf8);
        SHA256.HashData(utf8[..written], destination);
    }

    public static byte[] Hash(string key)
    {
        var hash = new byte[SHA256.HashSizeInBytes];
        Hash(key, hash);
        return hash;
    }
}
