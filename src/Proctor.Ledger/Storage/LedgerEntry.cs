using System.Globalization;
using System.Text;
using Proctor.Ledger.Merkle;

namespace Proctor.Ledger.Storage;

/// <summary>
/// A sequenced leaf. Its bytes are the RFC 8785 text <c>{"event":&lt;canonical event&gt;,"index":n}</c>: the leaf names its
/// own position, so a verifier tells a reordered entry from an edited one. A purged entry keeps its leaf hash only.
/// </summary>
public sealed record LedgerEntry(long Index, byte[]? Bytes, byte[] LeafHash)
{
    private static readonly byte[] Prefix = Encoding.ASCII.GetBytes("{\"event\":");

    public bool IsPurged => Bytes is null;

    /// <summary>Builds entry <paramref name="index"/>: what a store MUST persist when it assigns that index.</summary>
    public static LedgerEntry Seal(long index, ReadOnlySpan<byte> canonicalEvent)
    {
        var suffix = Encoding.ASCII.GetBytes($",\"index\":{index.ToString(CultureInfo.InvariantCulture)}}}");
        var bytes = new byte[Prefix.Length + canonicalEvent.Length + suffix.Length];
        Prefix.CopyTo(bytes, 0);
        canonicalEvent.CopyTo(bytes.AsSpan(Prefix.Length));
        suffix.CopyTo(bytes, Prefix.Length + canonicalEvent.Length);
        return new LedgerEntry(index, bytes, MerkleHash.Leaf(bytes));
    }

    /// <summary>The index the entry bytes claim, or null if they are not in the entry layout.</summary>
    public static long? ClaimedIndex(ReadOnlySpan<byte> bytes)
    {
        if (!bytes.StartsWith(Prefix) || bytes.Length < 2 || bytes[^1] != (byte)'}')
        {
            return null;
        }
        var colon = bytes.LastIndexOf((byte)':');
        var label = ",\"index\":"u8;
        if (colon < label.Length - 1 || !bytes[..(colon + 1)].EndsWith(label))
        {
            return null;
        }
        return long.TryParse(bytes[(colon + 1)..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    /// <summary>The canonical event inside entry bytes.</summary>
    public static ReadOnlyMemory<byte> EventOf(byte[] bytes)
    {
        var label = ",\"index\":"u8;
        var end = bytes.AsSpan().LastIndexOf(label);
        return bytes.AsMemory(Prefix.Length, end - Prefix.Length);
    }
}
