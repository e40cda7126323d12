using System.IO.Compression;
using System.Text;
using Proctor.Evidence.Package;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Verification;

/// <summary>
/// The package's content against its signed checkpoints: every included event hashes to its leaf, the period's leaves
/// extend the prefix to a root consistent with the covering checkpoint, and every other checkpoint (and the examiner's
/// own) agrees with that tree. One pass over events.jsonl and leaves.txt side by side; memory stays flat.
/// </summary>
internal static class TreeCheck
{
    public static PackageVerdict Run(Dictionary<string, List<ZipArchiveEntry>> files, NoteVerifierKey key, string? knownCheckpoint, List<VerificationProblem> problems)
    {
        PackageDescription description;
        PackageTree tree;
        PackageCheckpoints checkpoints;
        try
        {
            description = PackageReader.Description(PackageReader.Required(files, PackageFiles.Description));
            tree = PackageReader.Tree(PackageReader.Required(files, PackageFiles.Tree));
            checkpoints = PackageReader.Checkpoints(PackageReader.Required(files, PackageFiles.Checkpoints));
        }
        catch (FormatException ex)
        {
            problems.Add(new("file.malformed", ex.Message));
            return new PackageVerdict { Problems = problems };
        }
        var verdict = new PackageVerdict
        {
            Problems = problems,
            From = description.Request.From,
            To = description.Request.To,
            Server = description.Request.Server,
            Identity = description.Request.Identity,
            FirstIndex = description.FirstIndex,
            EndIndex = description.EndIndex,
            TreeSize = description.TreeSize,
            EventsIncluded = description.EventsIncluded,
            EventsWithheld = description.EventsWithheld,
        };
        try
        {
            return CheckTree(files, key, knownCheckpoint, problems, description, tree, checkpoints, verdict);
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or IOException or System.Text.Json.JsonException)
        {
            problems.Add(new("file.malformed", ex.Message));
            return verdict;
        }
    }

    private static PackageVerdict CheckTree(Dictionary<string, List<ZipArchiveEntry>> files, NoteVerifierKey key, string? knownCheckpoint, List<VerificationProblem> problems,
        PackageDescription description, PackageTree tree, PackageCheckpoints checkpoints, PackageVerdict verdict)
    {
        var (first, end) = (description.FirstIndex, description.EndIndex);
        if (tree.FirstIndex != first || tree.EndIndex != end || tree.TreeSize != description.TreeSize || first > end || end > description.TreeSize)
        {
            problems.Add(new("tree.range", $"tree.json covers [{tree.FirstIndex}, {tree.EndIndex}) of {tree.TreeSize} but package.json says [{first}, {end}) of {description.TreeSize}", PackageFiles.Tree));
            return verdict;
        }
        var covering = OpenCheckpoint(checkpoints.Covering, key, "the covering checkpoint", problems);
        if (covering is null)
        {
            return verdict;
        }
        if (covering.TreeSize != description.TreeSize || !covering.RootHash.AsSpan().SequenceEqual(description.RootHash))
        {
            problems.Add(new("checkpoint.covering", $"the covering checkpoint (size {covering.TreeSize}) is not the tree package.json names (size {description.TreeSize})", PackageFiles.Checkpoints));
        }
        var chain = OpenChain(checkpoints, key, covering, problems);
        var known = knownCheckpoint is null ? null : OpenCheckpoint(knownCheckpoint, key, "the known checkpoint (--checkpoint)", problems, "known.signature");
        if (known is not null && known.Origin != covering.Origin)
        {
            problems.Add(new("known.inconsistent", $"the known checkpoint is of the log \"{known.Origin}\", the package of \"{covering.Origin}\""));
            known = null;
        }

        // Roots the rebuilt tree must show at given sizes: checkpoints inside the period, and the examiner's own.
        var expected = new Dictionary<long, List<(byte[] Root, string What)>>();
        foreach (var (checkpoint, _) in chain.Where(c => c.Checkpoint.TreeSize >= first && c.Checkpoint.TreeSize <= end))
        {
            Expect(expected, checkpoint.TreeSize, checkpoint.RootHash, $"the checkpoint of size {checkpoint.TreeSize}");
        }
        if (known is not null && known.TreeSize >= first && known.TreeSize <= end)
        {
            Expect(expected, known.TreeSize, known.RootHash, "the known checkpoint (--checkpoint)");
        }

        var range = new SeededRange(first, tree.Prefix);
        var rootAtFirst = range.Root();
        var included = StreamLeaves(files, description, range, expected, problems);
        var rootAtEnd = range.Root();
        if (!ProofVerifier.VerifyConsistency(end, covering.TreeSize, rootAtEnd, covering.RootHash, tree.Consistency))
        {
            problems.Add(new("tree.root", $"the period's leaves do not lead to the signed root: the tree they rebuild at size {end} is not a prefix of the covering checkpoint's tree (size {covering.TreeSize})", PackageFiles.Leaves));
        }
        if (included != description.EventsIncluded || included + description.EventsWithheld != end - first)
        {
            problems.Add(new("events.count", $"events.jsonl holds {included} events; package.json says {description.EventsIncluded} included and {description.EventsWithheld} withheld of the period's {end - first}", PackageFiles.Events));
        }

        foreach (var (checkpoint, proof) in chain)
        {
            var size = checkpoint.TreeSize;
            var consistent = size < first ? ProofVerifier.VerifyConsistency(size, first, checkpoint.RootHash, rootAtFirst, proof)
                : size > end ? ProofVerifier.VerifyConsistency(end, size, rootAtEnd, checkpoint.RootHash, proof)
                : proof.Count == 0; // inside the period: compared with the rebuilt tree while streaming
            if (!consistent)
            {
                problems.Add(new("checkpoint.chain", $"the signed checkpoint of size {size} is not consistent with the package's tree", PackageFiles.Checkpoints, size));
            }
        }
        long? knownSize = null;
        if (known is not null)
        {
            var member = chain.FirstOrDefault(c => c.Checkpoint.TreeSize == known.TreeSize).Checkpoint;
            if (member is not null && !member.RootHash.AsSpan().SequenceEqual(known.RootHash))
            {
                problems.Add(new("known.inconsistent", $"the known checkpoint of size {known.TreeSize} has another root than the package's checkpoint of that size: two different histories"));
            }
            else if (member is null && (known.TreeSize < first || known.TreeSize > end))
            {
                problems.Add(new("known.not_covered", $"this package cannot prove the known checkpoint (size {known.TreeSize}): it proves sizes {first} to {end} and its checkpoints' sizes ({string.Join(", ", chain.Select(c => c.Checkpoint.TreeSize))}); export a period that starts before that checkpoint was signed"));
            }
            else
            {
                knownSize = known.TreeSize;
            }
        }
        return verdict with { CheckpointsChecked = chain.Count, KnownCheckpointSize = problems.Count == 0 ? knownSize : null };
    }

    /// <summary>Reads leaves.txt in step with events.jsonl: each event's bytes must hash to its index's leaf; each leaf extends the tree.</summary>
    private static long StreamLeaves(Dictionary<string, List<ZipArchiveEntry>> files, PackageDescription description, SeededRange range, Dictionary<long, List<(byte[] Root, string What)>> expected, List<VerificationProblem> problems)
    {
        var (first, end) = (description.FirstIndex, description.EndIndex);
        using var leaves = new StreamReader(PackageReader.Required(files, PackageFiles.Leaves).Open(), Encoding.UTF8);
        using var events = new StreamReader(PackageReader.Required(files, PackageFiles.Events).Open(), Encoding.UTF8);
        long included = 0;
        var previous = first - 1;
        byte[]? leaf = null;
        var leavesBroken = false;
        while (events.ReadLine() is { } line)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            if (LedgerEntry.ClaimedIndex(bytes) is not { } index || index <= previous || index >= end)
            {
                problems.Add(new("event.order", $"line {included + 1} of events.jsonl is not an entry of the period in ledger order (after index {previous})", PackageFiles.Events, previous + 1));
                return included;
            }
            while (range.Size <= index && !leavesBroken)
            {
                leaf = NextLeaf(leaves, range, expected, problems, ref leavesBroken);
            }
            if (leavesBroken)
            {
                return included;
            }
            if (!MerkleHash.Leaf(bytes).AsSpan().SequenceEqual(leaf))
            {
                problems.Add(new("event.leaf", $"the event at index {index} does not hash to its leaf: its bytes were changed", PackageFiles.Events, index));
            }
            else if (!ExportFilter.Includes(description.Request, EventJson.Parse(LedgerEntry.EventOf(bytes).Span)))
            {
                problems.Add(new("event.filter", $"the event at index {index} is outside the package's period or filters", PackageFiles.Events, index));
            }
            previous = index;
            included++;
        }
        while (!leavesBroken && range.Size < end)
        {
            NextLeaf(leaves, range, expected, problems, ref leavesBroken);
        }
        if (!leavesBroken && leaves.ReadLine() is not null)
        {
            problems.Add(new("leaves.count", $"leaves.txt has more than the period's {end - first} leaves", PackageFiles.Leaves, end));
        }
        CheckExpected(range, expected, problems);
        return included;
    }

    private static byte[]? NextLeaf(StreamReader leaves, SeededRange range, Dictionary<long, List<(byte[] Root, string What)>> expected, List<VerificationProblem> problems, ref bool broken)
    {
        CheckExpected(range, expected, problems);
        var line = leaves.ReadLine();
        byte[]? leaf = null;
        try
        {
            leaf = line is { Length: 64 } ? Convert.FromHexString(line) : null;
        }
        catch (FormatException)
        {
        }
        if (leaf is null)
        {
            problems.Add(new("leaves.count", line is null ? $"leaves.txt ends at index {range.Size}, before the period's end" : $"leaves.txt line for index {range.Size} is not a 64-digit hex hash", PackageFiles.Leaves, range.Size));
            broken = true;
            return null;
        }
        range.Append(leaf);
        return leaf;
    }

    private static void CheckExpected(SeededRange range, Dictionary<long, List<(byte[] Root, string What)>> expected, List<VerificationProblem> problems)
    {
        if (!expected.Remove(range.Size, out var roots))
        {
            return;
        }
        var root = range.Root();
        foreach (var (signed, what) in roots.Where(r => !r.Root.AsSpan().SequenceEqual(root)))
        {
            problems.Add(new(what.Contains("known", StringComparison.Ordinal) ? "known.inconsistent" : "checkpoint.chain", $"{what} does not match the tree the package's leaves rebuild at size {range.Size}", PackageFiles.Checkpoints, range.Size));
        }
    }

    private static void Expect(Dictionary<long, List<(byte[] Root, string What)>> expected, long size, byte[] root, string what)
    {
        if (!expected.TryGetValue(size, out var roots))
        {
            expected[size] = roots = [];
        }
        roots.Add((root, what));
    }

    private static Checkpoint? OpenCheckpoint(string note, NoteVerifierKey key, string what, List<VerificationProblem> problems, string code = "checkpoint.signature")
    {
        var (text, problem) = SignedNote.Open(note, key);
        if (text is null)
        {
            problems.Add(new(code, $"{what} is not signed by {key.Name}+{key.KeyId:x8}: {problem}", PackageFiles.Checkpoints));
            return null;
        }
        try
        {
            return Checkpoint.Parse(text);
        }
        catch (FormatException ex)
        {
            problems.Add(new(code, $"{what} is not a checkpoint: {ex.Message}", PackageFiles.Checkpoints));
            return null;
        }
    }

    /// <summary>The chain's checkpoints, each signed, in increasing tree size and time, ending with the covering one.</summary>
    private static List<(Checkpoint Checkpoint, IReadOnlyList<byte[]> Proof)> OpenChain(PackageCheckpoints checkpoints, NoteVerifierKey key, Checkpoint covering, List<VerificationProblem> problems)
    {
        var chain = new List<(Checkpoint, IReadOnlyList<byte[]>)>();
        Checkpoint? previous = null;
        foreach (var link in checkpoints.Chain)
        {
            if (OpenCheckpoint(link.Note, key, "a checkpoint of the chain", problems) is not { } checkpoint)
            {
                continue;
            }
            if (previous is not null && (checkpoint.TreeSize <= previous.TreeSize || checkpoint.Time < previous.Time || checkpoint.Origin != previous.Origin))
            {
                problems.Add(new("checkpoint.chain", $"the checkpoint of size {checkpoint.TreeSize} follows one of size {previous.TreeSize}: the chain is out of order or mixes logs", PackageFiles.Checkpoints, checkpoint.TreeSize));
            }
            chain.Add((checkpoint, link.Proof));
            previous = checkpoint;
        }
        if (checkpoints.Chain.Count == 0 || checkpoints.Chain[^1].Note != checkpoints.Covering)
        {
            problems.Add(new("checkpoint.chain", "the checkpoint chain does not end with the covering checkpoint", PackageFiles.Checkpoints));
        }
        return chain;
    }
}
