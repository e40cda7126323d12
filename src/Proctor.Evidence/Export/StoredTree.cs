using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Export;

/// <summary>
/// Subtree hashes and proofs computed by streaming stored leaf hashes a page at a time, so memory stays flat: a proof's
/// subtrees are disjoint, so one proof reads each leaf hash at most once.
/// </summary>
internal sealed class StoredTree(IEntryStore store)
{
    public const int PageSize = 8_192;

    /// <summary>RFC 9162 MTH of the leaves [start, end).</summary>
    public async Task<byte[]> HashAsync(long start, long end, CancellationToken cancellationToken)
    {
        var range = new CompactRange();
        for (var at = start; at < end; at += PageSize)
        {
            var count = (int)Math.Min(PageSize, end - at);
            var page = await store.ReadLeafHashesAsync(at, count, cancellationToken).ConfigureAwait(false);
            if (page.Count != count)
            {
                throw new EvidenceExportException($"The ledger returned {page.Count} leaf hashes from index {at} where {count} exist; run 'proctor audit verify'.");
            }
            foreach (var leaf in page)
            {
                range.Append(leaf);
            }
        }
        return range.Root();
    }

    /// <summary>The perfect subtrees [0, size) decomposes into, largest first: the left edge the verifier extends.</summary>
    public async Task<IReadOnlyList<byte[]>> PrefixAsync(long size, CancellationToken cancellationToken)
    {
        var nodes = new List<byte[]>();
        long offset = 0;
        for (var bit = size == 0 ? 0 : 1L << (63 - (int)long.LeadingZeroCount(size)); bit > 0; bit >>= 1)
        {
            if ((size & bit) != 0)
            {
                nodes.Add(await HashAsync(offset, offset + bit, cancellationToken).ConfigureAwait(false));
                offset += bit;
            }
        }
        return nodes;
    }

    /// <summary>RFC 9162 §2.1.4 consistency proof from <paramref name="oldSize"/> to <paramref name="newSize"/>.</summary>
    public async Task<IReadOnlyList<byte[]>> ConsistencyAsync(long oldSize, long newSize, CancellationToken cancellationToken)
    {
        // The proof's shape depends on the sizes only: find its subtrees with a placeholder, then hash each once.
        var ranges = new List<(long Start, long End)>();
        MerkleProofs.Consistency(oldSize, newSize, (start, end) =>
        {
            ranges.Add((start, end));
            return new byte[MerkleHash.Size];
        });
        var proof = new List<byte[]>(ranges.Count);
        foreach (var (start, end) in ranges)
        {
            proof.Add(await HashAsync(start, end, cancellationToken).ConfigureAwait(false));
        }
        return proof;
    }
}
