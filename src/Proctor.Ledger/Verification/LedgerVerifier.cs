using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Verification;

/// <summary>
/// Recomputes every leaf from the stored bytes, rebuilds the tree, and checks it against every signed checkpoint.
/// Each checkpoint root is compared with the root of the same rebuilt leaf sequence at its size, which is what makes
/// successive checkpoints consistent (one is a prefix of the other). Stops at the first problem and names its index.
/// Purged entries count as purged: their stored leaf hash stands in for the bytes that are gone. A purge is recorded
/// before it drops anything, so an entry without bytes that no later <c>ledger.purge</c> event follows was emptied
/// behind the ledger's back, and is reported as edited.
/// </summary>
public sealed class LedgerVerifier(IEntryStore entries, ICheckpointStore checkpoints, NoteVerifierKey publicKey)
{
    // A page's entries are all alive while it is checked (and the next one is read meanwhile): 1,024 entries of ~2 KB
    // stay young enough to die in the first GC generation, where 8,192 were promoted and took ~35% of the verifier's
    // CPU in collections (scratch profile, docs/PERFORMANCE.md, "Ledger").
    private const int PageSize = 1_024;

    public async Task<VerificationResult> VerifyAsync(IProgress<VerificationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var signed = await checkpoints.ReadCheckpointsAsync(cancellationToken).ConfigureAwait(false);
        var total = await entries.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        var scan = new Scan(signed, publicKey);
        var problem = scan.CheckDueCheckpoints();
        // Reading is one thread's work in the store; checking a page is spread over the cores. The next page is read
        // while this one is checked, so the two overlap.
        var reading = ReadPageAsync(0, cancellationToken);
        while (problem is null)
        {
            IReadOnlyList<LedgerEntry> page;
            try
            {
                page = await reading.ConfigureAwait(false);
            }
            catch (LedgerDamagedException damaged)
            {
                // The store cannot even read the next record back (its checksum fails, or it does not decode).
                problem = new(ProblemKind.EditedPayload, damaged.Index, damaged.Message);
                break;
            }
            if (page.Count == 0)
            {
                break;
            }
            reading = ReadPageAsync(page[^1].Index + 1, cancellationToken);
            var checks = new EntryCheck[page.Count];
            Parallel.For(0, page.Count, i => checks[i] = EntryCheck.Of(page[i]));
            for (var i = 0; i < page.Count; i++)
            {
                problem = scan.Add(page[i], checks[i]) ?? scan.CheckDueCheckpoints();
                if (problem is not null)
                {
                    break;
                }
            }
            progress?.Report(new VerificationProgress(scan.Tree.Size, total));
        }
        await IgnoreFailureAsync(reading).ConfigureAwait(false);
        problem ??= scan.CheckEveryPurgeRecorded() ?? scan.CheckNothingSignedBeyondEnd();
        return new VerificationResult(problem, scan.Tree.Size, scan.Purged, scan.CheckpointsChecked, scan.Tree.Size, scan.Tree.Root());
    }

    private Task<IReadOnlyList<LedgerEntry>> ReadPageAsync(long start, CancellationToken cancellationToken) =>
        Task.Run(() => entries.ReadEntriesAsync(start, PageSize, cancellationToken), cancellationToken);

    /// <summary>A read started ahead that is no longer needed (a problem was found) must not fail unobserved.</summary>
    private static async Task IgnoreFailureAsync(Task reading)
    {
        try
        {
            await reading.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The result already stands without this page.
        }
    }

    /// <summary>What can be computed from one entry alone, so in parallel: its recomputed leaf hash and the index its bytes claim.</summary>
    private readonly record struct EntryCheck(byte[]? RecomputedLeafHash, long? ClaimedIndex)
    {
        public static EntryCheck Of(LedgerEntry entry) =>
            entry.Bytes is { } bytes ? new(MerkleHash.Leaf(bytes), LedgerEntry.ClaimedIndex(bytes)) : default;
    }

    private sealed class Scan(IReadOnlyList<StoredCheckpoint> signed, NoteVerifierKey key)
    {
        private int _nextCheckpoint;
        private long _vouchedSize;
        private string? _origin;
        private long? _firstUnrecordedPurge;

        public CompactRange Tree { get; } = new();
        public long Purged { get; private set; }
        public int CheckpointsChecked => _nextCheckpoint;

        public VerificationProblem? Add(LedgerEntry entry, EntryCheck check)
        {
            var index = Tree.Size;
            if (entry.Index != index)
            {
                return new(ProblemKind.MissingIndex, index, $"Entry {index} is missing (the next stored entry is {entry.Index}).");
            }
            if (entry.Bytes is null)
            {
                Purged++;
                _firstUnrecordedPurge ??= index;
            }
            else
            {
                if (!check.RecomputedLeafHash.AsSpan().SequenceEqual(entry.LeafHash))
                {
                    return new(ProblemKind.EditedPayload, index, $"Entry {index} was edited: its bytes no longer match its leaf hash.");
                }
                var claimed = check.ClaimedIndex;
                if (claimed != index)
                {
                    return claimed is null
                        ? new(ProblemKind.EditedPayload, index, $"Entry {index} was edited: it is not in the entry layout.")
                        : new(ProblemKind.Reordered, index, $"Entry {index} holds the entry sequenced at index {claimed}: entries were reordered.");
                }
            }
            if (_firstUnrecordedPurge is not null && entry.Bytes is { } kept && IsPurgeEvent(kept))
            {
                _firstUnrecordedPurge = null;
            }
            Tree.Append(entry.LeafHash);
            return null;
        }

        public VerificationProblem? CheckEveryPurgeRecorded() => _firstUnrecordedPurge is { } index
            ? new(ProblemKind.EditedPayload, index, $"Entry {index} has no payload, and no ledger.purge event follows it: it was emptied outside retention.")
            : null;

        // The quick byte search rules out almost every entry; a match may still sit inside a call's arguments, so it is confirmed by parsing.
        private static bool IsPurgeEvent(byte[] bytes) =>
            bytes.AsSpan().IndexOf("\"kind\":\"ledger.purge\""u8) >= 0
            && EventJson.Parse(LedgerEntry.EventOf(bytes).Span).Kind == EventKinds.LedgerPurge;

        public VerificationProblem? CheckDueCheckpoints()
        {
            while (_nextCheckpoint < signed.Count && signed[_nextCheckpoint].TreeSize <= Tree.Size)
            {
                var stored = signed[_nextCheckpoint];
                var (text, failure) = SignedNote.Open(stored.Note, key);
                if (text is null)
                {
                    return new(ProblemKind.BadSignature, _vouchedSize, $"Checkpoint {_nextCheckpoint} (size {stored.TreeSize}): {failure}.");
                }
                var checkpoint = Checkpoint.Parse(text);
                if (checkpoint.TreeSize != stored.TreeSize || checkpoint.TreeSize < _vouchedSize || (_origin is not null && checkpoint.Origin != _origin))
                {
                    return new(ProblemKind.InconsistentCheckpoints, _vouchedSize,
                        $"Checkpoint {_nextCheckpoint} (origin {checkpoint.Origin}, size {checkpoint.TreeSize}) does not follow the previous one (origin {_origin}, size {_vouchedSize}).");
                }
                if (checkpoint.TreeSize == Tree.Size && !Tree.Root().AsSpan().SequenceEqual(checkpoint.RootHash))
                {
                    return new(ProblemKind.CheckpointRootMismatch, _vouchedSize,
                        $"Checkpoint {_nextCheckpoint} signed a different tree of size {checkpoint.TreeSize}: an entry in [{_vouchedSize}, {checkpoint.TreeSize}) was changed along with its leaf hash.");
                }
                _origin = checkpoint.Origin;
                _vouchedSize = checkpoint.TreeSize;
                _nextCheckpoint++;
            }
            return null;
        }

        public VerificationProblem? CheckNothingSignedBeyondEnd()
        {
            if (_nextCheckpoint >= signed.Count)
            {
                return null;
            }
            var beyond = signed[_nextCheckpoint];
            return new(ProblemKind.Truncated, Tree.Size, $"The store ends at {Tree.Size} entries but checkpoint {_nextCheckpoint} signed {beyond.TreeSize}: entries from {Tree.Size} were removed.");
        }
    }
}
