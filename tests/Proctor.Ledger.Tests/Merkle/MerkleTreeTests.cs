using System.Security.Cryptography;
using Proctor.Ledger.Merkle;

namespace Proctor.Ledger.Tests.Merkle;

public class MerkleTreeTests
{
    private static readonly List<byte[]> Leaves = Enumerable.Range(0, 130).Select(i => MerkleHash.Leaf(BitConverter.GetBytes(i))).ToList();

    // RFC 9162 §2.1.1 MTH, written as literally as possible.
    private static byte[] NaiveRoot(List<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return SHA256.HashData(Array.Empty<byte>());
        }
        if (leaves.Count == 1)
        {
            return leaves[0];
        }
        var k = 1;
        while (k * 2 < leaves.Count)
        {
            k *= 2;
        }
        return SHA256.HashData([0x01, .. NaiveRoot(leaves[..k]), .. NaiveRoot(leaves[k..])]);
    }

    [Fact]
    public void Root_EverySizeUpTo130_MatchesNaiveRfc9162()
    {
        var range = new CompactRange();
        Assert.Equal(NaiveRoot([]), range.Root());
        for (var n = 1; n <= Leaves.Count; n++)
        {
            range.Append(Leaves[n - 1]);
            Assert.Equal(NaiveRoot(Leaves[..n]), range.Root());
        }
    }

    [Fact]
    public void LeafHash_KnownAnswer_IsSha256OfZeroPrefixedBytes() =>
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(MerkleHash.Leaf([])));

    [Fact]
    public void InclusionProofs_AllIndexesOfAllSizesUpTo64_Verify()
    {
        for (var n = 1; n <= 64; n++)
        {
            var tree = new LeafHashTree(Leaves[..n]);
            var root = NaiveRoot(Leaves[..n]);
            for (var i = 0; i < n; i++)
            {
                var path = MerkleProofs.Inclusion(i, n, tree.Hash);
                Assert.True(ProofVerifier.VerifyInclusion(i, n, Leaves[i], path, root), $"index {i} size {n}");
                Assert.False(ProofVerifier.VerifyInclusion(i, n, Leaves[(i + 1) % 130], path, root));
            }
        }
    }

    [Fact]
    public void ConsistencyProofs_AllPairsUpTo64_VerifyAndRejectWrongRoots()
    {
        for (var n = 1; n <= 64; n++)
        {
            var tree = new LeafHashTree(Leaves[..n]);
            var newRoot = NaiveRoot(Leaves[..n]);
            for (var m = 1; m <= n; m++)
            {
                var proof = MerkleProofs.Consistency(m, n, tree.Hash);
                var oldRoot = NaiveRoot(Leaves[..m]);
                Assert.True(ProofVerifier.VerifyConsistency(m, n, oldRoot, newRoot, proof), $"{m} -> {n}");
                if (m < n)
                {
                    Assert.False(ProofVerifier.VerifyConsistency(m, n, NaiveRoot(Leaves[1..(m + 1)]), newRoot, proof));
                }
            }
        }
    }

    [Fact]
    public void NodeHash_CompactRangeNodes_AreTheConsistencyProofsOldSideNodes()
    {
        for (var m = 1; m <= 40; m++)
        {
            var range = new CompactRange();
            Leaves[..m].ForEach(range.Append);
            var tree = new LeafHashTree(Leaves[..60]);
            var proof = MerkleProofs.Consistency(m, 60, (s, e) => e <= m ? range.NodeHash(s, e) ?? throw new Xunit.Sdk.XunitException($"[{s},{e}) m={m}") : tree.Hash(s, e));
            Assert.True(ProofVerifier.VerifyConsistency(m, 60, range.Root(), NaiveRoot(Leaves[..60]), proof));
        }
    }
}
