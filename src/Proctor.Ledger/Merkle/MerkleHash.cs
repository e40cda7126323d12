using System.Security.Cryptography;

namespace Proctor.Ledger.Merkle;

/// <summary>RFC 9162 §2.1.1 hashing: a 0x00 prefix for leaves and 0x01 for interior nodes, so a leaf can never pass for a node.</summary>
public static class MerkleHash
{
    public const int Size = 32;

    public static byte[] Leaf(ReadOnlySpan<byte> data)
    {
        var hash = new byte[Size];
        Sha256.Hash(0x00, data, hash);
        return hash;
    }

    public static byte[] Node(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> children = stackalloc byte[2 * Size];
        left.CopyTo(children);
        right.CopyTo(children[Size..]);
        var hash = new byte[Size];
        Sha256.Hash(0x01, children, hash);
        return hash;
    }

    /// <summary>The root of the empty tree: SHA-256 of the empty string (RFC 9162 §2.1.1).</summary>
    public static byte[] Empty() => SHA256.HashData(ReadOnlySpan<byte>.Empty);
}
