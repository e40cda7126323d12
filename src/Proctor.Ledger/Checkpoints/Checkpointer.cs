using Proctor.Ledger.Merkle;
using Proctor.Ledger.Scheduling;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Checkpoints;

/// <summary>
/// Integrates sequenced entries into the tree and signs a checkpoint on a fixed interval, also when nothing was
/// appended, so that a stop in logging shows as a gap (AU-5). It MUST NOT sign a tree that is not an extension of the
/// last signed one: it rebuilds the signed tree from the store at start, and checks a consistency proof before each signature.
/// </summary>
public sealed class Checkpointer : IAsyncDisposable
{
    private const int PageSize = 8_192;
    private readonly ILedgerStore _store;
    private readonly ICheckpointSigner _signer;
    private readonly CheckpointerOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _oneRound = new(1, 1);
    private CompactRange? _signed;
    private readonly PeriodicRounds _rounds;

    public Checkpointer(ILedgerStore store, ICheckpointSigner signer, CheckpointerOptions options, TimeProvider time)
    {
        _store = store;
        _signer = signer;
        _options = options;
        _time = time;
        _rounds = new PeriodicRounds("checkpointer", options.Interval, time, SignRoundAsync, failure =>
        {
            LastFailure = failure;
            _options.OnFailure?.Invoke(failure);
        });
    }

    /// <summary>Why the last round failed, or null if it succeeded; the loop keeps trying on the next tick.</summary>
    public Exception? LastFailure { get; private set; }

    public void Start() => _rounds.Start();

    public Task StopAsync() => _rounds.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _oneRound.Dispose();
    }

    /// <summary>One round: integrate what was sequenced, check consistency, sign and store. Null if another node holds the lease.</summary>
    public async Task<StoredCheckpoint?> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _oneRound.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!await _store.TryAcquireIntegratorLeaseAsync(_options.Node, _options.Interval * 3, cancellationToken).ConfigureAwait(false))
            {
                _signed = null; // another node signs meanwhile: rebuild from its checkpoints when the lease comes back
                return null;
            }
            var signed = _signed ?? await RebuildSignedTreeAsync(cancellationToken).ConfigureAwait(false);
            var size = await _store.GetSizeAsync(cancellationToken).ConfigureAwait(false);
            if (size < signed.Size)
            {
                throw new LedgerIntegrityException($"The store holds {size} entries but {signed.Size} were already signed: entries were removed. Refusing to sign; run the verifier.");
            }
            var next = signed;
            while (next.Size < size)
            {
                next = await ExtendAsync(next, Math.Min(size, next.Size + PageSize), cancellationToken).ConfigureAwait(false);
            }
            var root = next.Root();
            var checkpoint = new Checkpoint(_options.Origin, size, root, _time.GetUtcNow());
            var note = await SignedNote.SignAsync(checkpoint.ToNoteText(), _signer, cancellationToken).ConfigureAwait(false);
            var stored = new StoredCheckpoint(size, note, checkpoint.Time!.Value);
            await _store.AddCheckpointAsync(stored, cancellationToken).ConfigureAwait(false);
            _signed = next;
            return stored;
        }
        finally
        {
            _oneRound.Release();
        }
    }

    private async Task SignRoundAsync(CancellationToken stopping)
    {
        await CheckpointAsync(stopping).ConfigureAwait(false);
        LastFailure = null;
    }

    private async Task<CompactRange> RebuildSignedTreeAsync(CancellationToken cancellationToken)
    {
        var range = new CompactRange();
        var latest = await _store.GetLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null)
        {
            return range;
        }
        var (text, problem) = SignedNote.Open(latest.Note, _signer.PublicKey);
        if (text is null)
        {
            throw new LedgerIntegrityException($"The latest checkpoint (size {latest.TreeSize}) does not verify with the signing key: {problem}. Refusing to sign; run the verifier.");
        }
        var checkpoint = Checkpoint.Parse(text);
        while (range.Size < checkpoint.TreeSize)
        {
            foreach (var leaf in await ReadLeafHashesAsync(range.Size, Math.Min(checkpoint.TreeSize, range.Size + PageSize), cancellationToken).ConfigureAwait(false))
            {
                range.Append(leaf);
            }
        }
        if (range.Size != checkpoint.TreeSize || !range.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
        {
            throw new LedgerIntegrityException($"The stored entries no longer produce the root signed at size {checkpoint.TreeSize}. Refusing to sign; run the verifier.");
        }
        return range;
    }

    /// <summary>
    /// <paramref name="tree"/> extended to <paramref name="end"/>, after a consistency proof between the two. Rounds
    /// extend a page at a time (each step an extension of the last, so the whole is one of the signed tree): the leaves
    /// of a step are all a round holds, however far behind signing is, and none reaches the large object heap.
    /// </summary>
    private async Task<CompactRange> ExtendAsync(CompactRange tree, long end, CancellationToken cancellationToken)
    {
        var added = await ReadLeafHashesAsync(tree.Size, end, cancellationToken).ConfigureAwait(false);
        var extended = tree.Clone();
        foreach (var leaf in added)
        {
            extended.Append(leaf);
        }
        EnsureConsistent(tree, added, extended.Root());
        return extended;
    }

    private async Task<List<byte[]>> ReadLeafHashesAsync(long start, long end, CancellationToken cancellationToken)
    {
        var leaves = new List<byte[]>((int)Math.Min(end - start, PageSize));
        while (start + leaves.Count < end)
        {
            var from = start + leaves.Count;
            var page = await _store.ReadLeafHashesAsync(from, (int)Math.Min(PageSize, end - from), cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                throw new LedgerIntegrityException($"Entry {from} is missing from the store. Refusing to sign; run the verifier.");
            }
            leaves.AddRange(page);
        }
        return leaves;
    }

    // Every node of a consistency proof lies either inside the old tree, where it is one of the compact range's
    // nodes, or inside the added leaves (RFC 9162 §2.1.4.1), so the proof costs O(added + log n).
    private static void EnsureConsistent(CompactRange signed, List<byte[]> added, byte[] newRoot)
    {
        var oldSize = signed.Size;
        var newSize = oldSize + added.Count;
        var addedTree = new LeafHashTree(added, oldSize);
        var proof = MerkleProofs.Consistency(oldSize, newSize, (start, end) => start >= oldSize
            ? addedTree.Hash(start, end)
            : signed.NodeHash(start, end) ?? throw new InvalidOperationException($"Subtree [{start}, {end}) is not a node of the signed tree."));
        if (!ProofVerifier.VerifyConsistency(oldSize, newSize, signed.Root(), newRoot, proof))
        {
            throw new LedgerIntegrityException($"The tree of size {newSize} is not consistent with the signed tree of size {oldSize}. Refusing to sign.");
        }
    }
}

public sealed record CheckpointerOptions
{
    /// <summary>The checkpoint origin line, conventionally the key name (C2SP tlog-checkpoint).</summary>
    public required string Origin { get; init; }

    /// <summary>How often a checkpoint is signed, appends or not.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>This gateway node's name, for the integrator lease.</summary>
    public string Node { get; init; } = Environment.MachineName;

    /// <summary>Called with each failed round (for the host's log); the loop goes on.</summary>
    public Action<Exception>? OnFailure { get; init; }
}

/// <summary>The store disagrees with what was signed: nothing more is signed until someone runs the verifier.</summary>
public sealed class LedgerIntegrityException(string message) : Exception(message);
