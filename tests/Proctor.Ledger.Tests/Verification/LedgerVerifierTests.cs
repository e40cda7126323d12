using System.Text;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;

namespace Proctor.Ledger.Tests.Verification;

/// <summary>
/// The verifier over a ledger that spans three of its pages, edited at every kind of position (the ends, page edges,
/// either side of powers of two) with signed checkpoints between and on them: each edit is reported at the index it
/// first affects, with the counts of entries and checkpoints checked. The store's own tests (TamperTests) edit a short
/// ledger on disk; these reach what only a long one has.
/// </summary>
public sealed class LedgerVerifierTests : IDisposable
{
    private const int Size = 2_100;
    private static readonly long[] CheckpointSizes = [1, 63, 64, 65, 100, 128, 1_000, 1_024, 1_025, 1_500, 2_048, Size];
    private static readonly int[] Positions = [0, 1, 31, 62, 63, 64, 65, 100, 127, 128, 129, 1_000, 1_023, 1_024, 1_025, 1_100, 2_047, 2_048, 2_049, Size - 1];

    private readonly string _directory = Directory.CreateTempSubdirectory("proctor-verifier-").FullName;
    private readonly EcdsaFileSigner _signer;
    private readonly List<StoredCheckpoint> _checkpoints = [];
    private readonly LedgerEntry[] _entries;

    public LedgerVerifierTests()
    {
        _signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(_directory, "ledger.key"), "bank.example/ledger");
        _entries = [.. Enumerable.Range(0, Size).Select(i => LedgerEntry.Seal(i, Event(i)))];
        var tree = new CompactRange();
        foreach (var entry in _entries)
        {
            tree.Append(entry.LeafHash);
            if (CheckpointSizes.Contains(tree.Size))
            {
                var note = SignedNote.SignAsync(new Checkpoint("bank.example/ledger", tree.Size, tree.Root(), DateTimeOffset.UnixEpoch).ToNoteText(), _signer, default).GetAwaiter().GetResult();
                _checkpoints.Add(new StoredCheckpoint(tree.Size, note, DateTimeOffset.UnixEpoch));
            }
        }
    }

    private static byte[] Event(int n, string query = "name") => Encoding.UTF8.GetBytes($$"""{"id":"e-{{n}}","kind":"call.request","query":"{{query}} {{n}}"}""");

    [Fact]
    public async Task Verify_Untouched_IsValid_WithTheRootOfEveryLeafAppendedInTurn()
    {
        var reference = new CompactRange();
        foreach (var entry in _entries)
        {
            reference.Append(entry.LeafHash);
        }

        var result = await VerifyAsync(_entries);

        Assert.Null(result.Problem);
        Assert.Equal((Size, (long)Size, CheckpointSizes.Length), (result.EntriesChecked, result.TreeSize, result.CheckpointsChecked));
        Assert.Equal(reference.Root(), result.RootHash);
    }

    [Fact]
    public async Task Verify_EditedBytes_AnEntryMissing_OrTwoSwapped_IsReportedAtThatIndex()
    {
        foreach (var at in Positions)
        {
            var edited = (LedgerEntry[])_entries.Clone();
            edited[at] = edited[at] with { Bytes = LedgerEntry.Seal(at, Event(at, "edited")).Bytes };
            await AssertProblemAsync(edited, ProblemKind.EditedPayload, at, checkedEntries: at, $"bytes of {at} edited");

            await AssertProblemAsync([.. _entries.Where(e => e.Index != at)], at == Size - 1 ? ProblemKind.Truncated : ProblemKind.MissingIndex, at, checkedEntries: at, $"{at} removed");

            if (at + 1 < Size)
            {
                var swapped = (LedgerEntry[])_entries.Clone();
                (swapped[at], swapped[at + 1]) = (swapped[at + 1] with { Index = at }, swapped[at] with { Index = at + 1 });
                await AssertProblemAsync(swapped, ProblemKind.Reordered, at, checkedEntries: at, $"{at} and {at + 1} swapped");
            }
        }
    }

    [Fact]
    public async Task Verify_AnEntryResealedWithItsLeaf_FailsAtTheNextCheckpoint_NamingTheLastOneThatHeld()
    {
        foreach (var at in Positions)
        {
            var edited = (LedgerEntry[])_entries.Clone();
            edited[at] = LedgerEntry.Seal(at, Event(at, "rewritten"));
            var failing = CheckpointSizes.First(size => size > at);
            var held = CheckpointSizes.LastOrDefault(size => size <= at);

            await AssertProblemAsync(edited, ProblemKind.CheckpointRootMismatch, held, checkedEntries: failing, $"{at} resealed");
        }
    }

    [Fact]
    public async Task Verify_AnEntryEmptiedWithoutAPurgeEvent_IsReportedAtItsIndex_AfterTheWholeLedger()
    {
        foreach (var at in Positions)
        {
            var edited = (LedgerEntry[])_entries.Clone();
            edited[at] = edited[at] with { Bytes = null };

            await AssertProblemAsync(edited, ProblemKind.EditedPayload, at, checkedEntries: Size, $"{at} emptied");
        }
    }

    private async Task AssertProblemAsync(LedgerEntry[] entries, ProblemKind kind, long index, long checkedEntries, string what)
    {
        var result = await VerifyAsync(entries);

        Assert.True(result.Problem is not null, $"{what}: not reported");
        Assert.Equal((kind, index, checkedEntries), (result.Problem.Kind, result.Problem.Index, result.EntriesChecked));
    }

    private Task<VerificationResult> VerifyAsync(LedgerEntry[] entries) =>
        new LedgerVerifier(new ListedEntries(entries), new ListedCheckpoints(_checkpoints), _signer.PublicKey).VerifyAsync();

    public void Dispose()
    {
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Entries as a store returns them: by index from the start asked for, gaps as gaps.</summary>
    private sealed class ListedEntries(LedgerEntry[] entries) : IEntryStore
    {
        public Task<long> GetSizeAsync(CancellationToken cancellationToken) => Task.FromResult(entries.Length == 0 ? 0 : entries.Max(e => e.Index) + 1);

        public Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(long start, int count, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<LedgerEntry>>([.. entries.Where(e => e.Index >= start).Take(count)]);

        public Task<AppendedBatch> AppendAsync(IReadOnlyList<EntryDraft> drafts, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<byte[]>> ReadLeafHashesAsync(long start, int count, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class ListedCheckpoints(List<StoredCheckpoint> checkpoints) : ICheckpointStore
    {
        public Task<IReadOnlyList<StoredCheckpoint>> ReadCheckpointsAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<StoredCheckpoint>>(checkpoints);

        public Task<bool> TryAcquireIntegratorLeaseAsync(string node, TimeSpan duration, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task AddCheckpointAsync(StoredCheckpoint checkpoint, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<StoredCheckpoint?> GetLatestCheckpointAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
