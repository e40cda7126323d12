namespace Proctor.Ledger.Merkle;

/// <summary>Subtree hashes computed from a run of leaf hashes held in memory: O(size of the subtree).</summary>
public sealed class LeafHashTree(IReadOnlyList<byte[]> leafHashes, long firstIndex = 0)
{
    public byte[] Hash(long start, long end)
    {
        if (end - start == 1)
        {
            return leafHashes[(int)(start - firstIndex)];
        }
        if (end == start)
        {
            return MerkleHash.Empty();
        }
        var k = MerkleProofs.Split(end - start);
        return MerkleHash.Node(Hash(start, start + k), Hash(start + k, end));
    }
}
