using System.Security.Cryptography;

namespace Proctor.Ledger.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing: a 0x00 prefix for leaves and 0x01 for interior nodes, so a leaf can never pass for a node.</summary>
public static class MerkleHash
{
    public const int Size = 32;

    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        ReadOnlySpan<byte> prefix = [0x00];
        sha.AppendData(prefix);
        sha.AppendData(data);
        return sha.GetHashAndReset();
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[1 + 2 * Size];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Size)..]);
        return SHA256.HashData(buffer);
    }

    /// <summary>The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).</summary>
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);
}
