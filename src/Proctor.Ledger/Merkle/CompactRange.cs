namespace Proctor.Ledger.Merkle;

/// <summary>
/// The right edge of a Merkle tree over leaves [0, size): one hash per set bit of size, the roots of the
/// perfect subtrees the tree decomposes into, largest first. Appending is O(log n) and needs no other node.
/// </summary>
public sealed class CompactRange
{
    private readonly List<byte[]> _hashes = [];

    public long Size { get; private set; }

    public void Append(byte[] leafHash)
    {
        var hash = leafHash;
        // Each trailing one bit of the old size is a full subtree that merges with the new one.
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            hash = MerkleHash.Node(_hashes[^1], hash);
            _hashes.RemoveAt(_hashes.Count - 1);
        }
        _hashes.Add(hash);
        Size++;
    }

    public byte[] Root()
    {
        if (Size == 0)
        {
            return MerkleHash.Empty();
        }
        var root = _hashes[^1];
        for (var i = _hashes.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(_hashes[i], root);
        }
        return root;
    }

    /// <summary>The hash of the perfect subtree [start, end) if it is one of this range's nodes, else null.</summary>
    public byte[]? NodeHash(long start, long end)
    {
        long offset = 0;
        var i = 0;
        for (var bit = HighestBit(Size); bit > 0; bit >>= 1)
        {
            if ((Size & bit) == 0)
            {
                continue;
            }
            if (offset == start && offset + bit == end)
            {
                return _hashes[i];
            }
            offset += bit;
            i++;
        }
        return null;
    }

    public CompactRange Clone()
    {
        var copy = new CompactRange { Size = Size };
        copy._hashes.AddRange(_hashes);
        return copy;
    }

    private static long HighestBit(long value) => value == 0 ? 0 : 1L << (63 - (int)long.LeadingZeroCount(value));
}
