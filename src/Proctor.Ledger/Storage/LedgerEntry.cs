using System.Globalization;
using Proctor.Ledger.Merkle;

namespace Proctor.Ledger.Storage;

/// <summary>
/// A sequenced leaf. Its bytes are the RFC 8785 text <c>{"event":&lt;canonical event&gt;,"index":n}</c>: the leaf names its
/// own position, so a verifier tells a reordered entry from an edited one. A purged entry keeps its leaf hash only.
/// </summary>
public sealed record LedgerEntry(long Index, byte[]? Bytes, byte[] LeafHash)
{
    private static ReadOnlySpan<byte> Prefix => EntryLayout.Prefix;

    public bool IsPurged => Bytes is null;

    /// <summary>Builds entry <paramref name="index"/>: what a store MUST persist when it assigns that index.</summary>
    public static LedgerEntry Seal(long index, ReadOnlySpan<byte> canonicalEvent)
    {
        var bytes = new System.Buffers.ArrayBufferWriter<byte>(canonicalEvent.Length + 32);
        EntryLayout.Write(index, canonicalEvent, bytes);
        var entry = bytes.WrittenSpan.ToArray();
        return new LedgerEntry(index, entry, MerkleHash.Leaf(entry));
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

/// <summary>The entry layout, RFC 8785 text <c>{"event":&lt;canonical event&gt;,"index":n}</c>, written without an intermediate copy.</summary>
internal static class EntryLayout
{
    public static ReadOnlySpan<byte> Prefix => "{\"event\":"u8;

    public static void Write(long index, ReadOnlySpan<byte> canonicalEvent, System.Buffers.IBufferWriter<byte> output)
    {
        var span = output.GetSpan(Prefix.Length + canonicalEvent.Length + 30);
        Prefix.CopyTo(span);
        canonicalEvent.CopyTo(span[Prefix.Length..]);
        var at = Prefix.Length + canonicalEvent.Length;
        ",\"index\":"u8.CopyTo(span[at..]);
        at += 9;
        System.Buffers.Text.Utf8Formatter.TryFormat(index, span[at..], out var digits);
        at += digits;
        span[at++] = (byte)'}';
        output.Advance(at);
    }
}
