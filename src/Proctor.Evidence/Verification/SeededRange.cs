using Proctor.Ledger.Merkle;

namespace Proctor.Evidence.Verification;

/// <summary>
/// The verifier's own right edge of the tree, started from the package's prefix nodes instead of from leaf 0. Written
/// apart from the ledger's CompactRange on purpose: the verifier should not inherit the writer's bugs.
/// </summary>
internal sealed class SeededRange
{
    private readonly List<byte[]> _nodes;

    /// <param name="nodes">The perfect subtrees [0, size) decomposes into, largest first: one per set bit of size.</param>
    public SeededRange(long size, IReadOnlyList<byte[]> nodes)
    {
        if (long.PopCount(size) != nodes.Count || nodes.Any(n => n.Length != MerkleHash.Size))
        {
            throw new FormatException($"a tree of {size} leaves has {long.PopCount(size)} prefix nodes of 32 bytes; the package gives {nodes.Count}");
        }
        Size = size;
        _nodes = [.. nodes];
    }

    public long Size { get; private set; }

    public void Append(byte[] leafHash)
    {
        var hash = leafHash;
        for (var size = Size; (size & 1) == 1; size >>= 1)
        {
            hash = MerkleHash.Node(_nodes[^1], hash);
            _nodes.RemoveAt(_nodes.Count - 1);
        }
        _nodes.Add(hash);
        Size++;
    }

    public byte[] Root()
    {
        if (_nodes.Count == 0)
        {
            return MerkleHash.Empty();
        }
        var root = _nodes[^1];
        for (var i = _nodes.Count - 2; i >= 0; i--)
        {
            root = MerkleHash.Node(_nodes[i], root);
        }
        return root;
    }
}
