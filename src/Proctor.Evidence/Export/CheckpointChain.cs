using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Export;

/// <summary>One signed checkpoint in a package and the consistency proof that ties it to the package's tree (empty when the verifier recomputes its root).</summary>
internal sealed record ChainLink(StoredCheckpoint Checkpoint, IReadOnlyList<byte[]> Proof);

/// <summary>
/// The checkpoints a package carries, by tree size: the last one signed at or before the period's first index (the one
/// an examiner may hold from the previous package), the first signed in each hour of the period, and the covering one,
/// the first whose tree includes the period's last event.
/// </summary>
internal static class CheckpointChain
{
    /// <summary>
    /// One checkpoint an hour is kept of those signed during the period: with one every 10 s a month would otherwise
    /// carry 260,000 notes. An hour still shows a stop in logging (AU-5) and gives examiners stable sizes to hold.
    /// </summary>
    private static readonly TimeSpan Spacing = TimeSpan.FromHours(1);

    public static async Task<IReadOnlyList<StoredCheckpoint>> SelectAsync(IEventQueries store, ExportRequest request, long first, StoredCheckpoint covering, CancellationToken cancellationToken)
    {
        var chain = new List<StoredCheckpoint>();
        if (await store.FindCheckpointAsync(first, atMost: true, cancellationToken).ConfigureAwait(false) is { } previous)
        {
            chain.Add(previous);
        }
        var during = await store.ReadCheckpointsSignedAsync(request.From, request.To, Spacing, cancellationToken).ConfigureAwait(false);
        chain.AddRange(during.Where(c => c.TreeSize > first && c.TreeSize < covering.TreeSize).OrderBy(c => c.TreeSize));
        chain.Add(covering);
        return [.. chain.DistinctBy(c => c.TreeSize)];
    }

    /// <summary>The proof for each link: to the period's first index from below it, from the period's end above it; none inside, where the verifier rebuilds the root.</summary>
    public static async Task<IReadOnlyList<ChainLink>> ProveAsync(IReadOnlyList<StoredCheckpoint> chain, StoredTree tree, long first, long end, CancellationToken cancellationToken)
    {
        var links = new List<ChainLink>(chain.Count);
        foreach (var checkpoint in chain)
        {
            var size = checkpoint.TreeSize;
            var proof = size < first ? await tree.ConsistencyAsync(size, first, cancellationToken).ConfigureAwait(false)
                : size > end ? await tree.ConsistencyAsync(end, size, cancellationToken).ConfigureAwait(false)
                : [];
            links.Add(new ChainLink(checkpoint, proof));
        }
        return links;
    }

    public static Checkpoint Parse(StoredCheckpoint stored) =>
        Checkpoint.Parse(SignedNote.TextOf(stored.Note) ?? throw new EvidenceExportException($"The stored checkpoint of size {stored.TreeSize} is not a signed note; run 'proctor audit verify'."));
}
