using System.Text;
using System.Text.Json;
using Proctor.Ledger.Canonical;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Proofs;

/// <summary>
/// A self-contained proof that one event is in the ledger: the canonical event, its index, the audit path to the root
/// of a signed checkpoint, the checkpoint note and the id of the key that signed it. Verifiable offline with the
/// public key alone (AU-10). The JSON layout is documented in docs/ledger.md.
/// </summary>
public sealed record InclusionProof(byte[] CanonicalEvent, long Index, long TreeSize, IReadOnlyList<byte[]> AuditPath, string Checkpoint, string KeyId)
{
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("event");
            writer.WriteRawValue(CanonicalEvent, skipInputValidation: false);
            writer.WriteNumber("index", Index);
            writer.WriteNumber("tree_size", TreeSize);
            writer.WriteStartArray("audit_path");
            foreach (var hash in AuditPath)
            {
                writer.WriteStringValue(Convert.ToBase64String(hash));
            }
            writer.WriteEndArray();
            writer.WriteString("checkpoint", Checkpoint);
            writer.WriteString("key_id", KeyId);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static InclusionProof Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new InclusionProof(
            JsonCanonicalizer.Canonicalize(root.GetProperty("event")),
            root.GetProperty("index").GetInt64(),
            root.GetProperty("tree_size").GetInt64(),
            root.GetProperty("audit_path").EnumerateArray().Select(e => Convert.FromBase64String(e.GetString()!)).ToList(),
            root.GetProperty("checkpoint").GetString()!,
            root.GetProperty("key_id").GetString()!);
    }

    /// <summary>Proves entry <paramref name="index"/> against the latest checkpoint. Reads the leaf hashes of that tree: O(n).</summary>
    public static async Task<InclusionProof> CreateAsync(IEntryStore store, ICheckpointStore checkpoints, NoteVerifierKey key, long index, CancellationToken cancellationToken)
    {
        var latest = await checkpoints.GetLatestCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (latest is null || latest.TreeSize <= index)
        {
            throw new InvalidOperationException($"Entry {index} is not yet covered by a signed checkpoint; retry after the next checkpoint.");
        }
        var entry = (await store.ReadEntriesAsync(index, 1, cancellationToken).ConfigureAwait(false)).FirstOrDefault(e => e.Index == index)
            ?? throw new InvalidOperationException($"Entry {index} is not in the store.");
        if (entry.Bytes is null)
        {
            throw new InvalidOperationException($"Entry {index} was purged under the retention policy; only its leaf hash remains.");
        }
        var leaves = new List<byte[]>((int)latest.TreeSize);
        while (leaves.Count < latest.TreeSize)
        {
            leaves.AddRange(await store.ReadLeafHashesAsync(leaves.Count, (int)Math.Min(65_536, latest.TreeSize - leaves.Count), cancellationToken).ConfigureAwait(false));
        }
        var path = MerkleProofs.Inclusion(index, latest.TreeSize, new LeafHashTree(leaves).Hash);
        return new InclusionProof(LedgerEntry.EventOf(entry.Bytes).ToArray(), index, latest.TreeSize, path, latest.Note, $"{key.Name}+{key.KeyId:x8}");
    }

    /// <summary>Null if the proof holds under <paramref name="key"/>; otherwise what fails.</summary>
    public string? Verify(NoteVerifierKey key)
    {
        if (KeyId != $"{key.Name}+{key.KeyId:x8}")
        {
            return $"the proof names key {KeyId}, not {key.Name}+{key.KeyId:x8}";
        }
        var (text, problem) = SignedNote.Open(Checkpoint, key);
        if (text is null)
        {
            return $"checkpoint: {problem}";
        }
        var checkpoint = Checkpoints.Checkpoint.Parse(text);
        if (checkpoint.TreeSize != TreeSize)
        {
            return $"the proof is for tree size {TreeSize} but the checkpoint signs size {checkpoint.TreeSize}";
        }
        var leaf = LedgerEntry.Seal(Index, JsonCanonicalizer.Canonicalize(CanonicalEvent)).LeafHash;
        return ProofVerifier.VerifyInclusion(Index, TreeSize, leaf, AuditPath, checkpoint.RootHash)
            ? null
            : $"the event at index {Index} is not in the signed tree of size {TreeSize}: the event or the path was altered";
    }
}
