namespace Proctor.Ledger.Merkle;

/// <summary>The hash of the subtree over leaves [start, end) of some tree (RFC 9162 MTH of D[start:end]).</summary>
public delegate byte[] SubtreeHasher(long start, long end);

/// <summary>Proof generation, RFC 9162 §2.1.3.1 (inclusion) and §2.1.4.1 (consistency).</summary>
public static class MerkleProofs
{
    public static IReadOnlyList<byte[]> Inclusion(long index, long treeSize, SubtreeHasher hash)
    {
        if (index < 0 || index >= treeSize)
        {
            throw new ArgumentOutOfRangeException(nameof(index), $"Index {index} is not in a tree of size {treeSize}.");
        }
        var path = new List<byte[]>();
        AddInclusionPath(index, 0, treeSize, hash, path);
        return path;
    }

    public static IReadOnlyList<byte[]> Consistency(long oldSize, long newSize, SubtreeHasher hash)
    {
        if (oldSize < 0 || oldSize > newSize)
        {
            throw new ArgumentOutOfRangeException(nameof(oldSize), $"No consistency proof from size {oldSize} to size {newSize}.");
        }
        var proof = new List<byte[]>();
        if (oldSize > 0 && oldSize < newSize)
        {
            AddSubproof(oldSize, 0, newSize, true, hash, proof);
        }
        return proof;
    }

    /// <summary>The largest power of two smaller than n (n ≥ 2): where RFC 9162 splits a tree.</summary>
    public static long Split(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    // PATH(m, D[start:end]): the proof lists siblings from the leaf upwards, so recurse first.
    private static void AddInclusionPath(long m, long start, long end, SubtreeHasher hash, List<byte[]> path)
    {
        var n = end - start;
        if (n <= 1)
        {
            return;
        }
        var k = Split(n);
        if (m < k)
        {
            AddInclusionPath(m, start, start + k, hash, path);
            path.Add(hash(start + k, end));
        }
        else
        {
            AddInclusionPath(m - k, start + k, end, hash, path);
            path.Add(hash(start, start + k));
        }
    }

    // SUBPROOF(m, D[start:end], b)
    private static void AddSubproof(long m, long start, long end, bool wholeOldTree, SubtreeHasher hash, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!wholeOldTree)
            {
                proof.Add(hash(start, end));
            }
            return;
        }
        var k = Split(n);
        if (m <= k)
        {
            AddSubproof(m, start, start + k, wholeOldTree, hash, proof);
            proof.Add(hash(start + k, end));
        }
        else
        {
            AddSubproof(m - k, start + k, end, false, hash, proof);
            proof.Add(hash(start, start + k));
        }
    }
}
