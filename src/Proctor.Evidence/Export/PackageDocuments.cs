using System.Text.Json;
using Proctor.Evidence.Package;
using Proctor.Ledger.Checkpoints;

namespace Proctor.Evidence.Export;

/// <summary>The package's JSON files (docs/evidence.md, "Package layout"); <see cref="Verification.PackageReader"/> reads them back.</summary>
internal static class PackageDocuments
{
    public static void WriteDescription(Utf8JsonWriter json, ExportRequest request, ExportSummary summary, Checkpoint covering, NoteVerifierKey key, DateTimeOffset createdAt, string gatewayVersion)
    {
        json.WriteStartObject();
        json.WriteString("format", PackageFiles.Format);
        json.WriteString("from", request.From.ToUniversalTime());
        json.WriteString("to", request.To.ToUniversalTime());
        WriteNullable(json, "server", request.Server);
        WriteNullable(json, "identity", request.Identity);
        json.WriteNumber("first_index", summary.FirstIndex);
        json.WriteNumber("end_index", summary.EndIndex);
        json.WriteNumber("tree_size", covering.TreeSize);
        json.WriteString("root_hash", Convert.ToBase64String(covering.RootHash));
        json.WriteString("key_id", $"{key.Name}+{key.KeyId:x8}");
        json.WriteNumber("events_included", summary.EventsIncluded);
        json.WriteNumber("events_withheld", summary.EventsWithheld);
        json.WriteString("created_at", createdAt.ToUniversalTime());
        json.WriteString("gateway_version", gatewayVersion);
        json.WriteEndObject();
    }

    public static void WriteTree(Utf8JsonWriter json, long first, IReadOnlyList<byte[]> prefix, long end, long treeSize, IReadOnlyList<byte[]> endToTree)
    {
        json.WriteStartObject();
        json.WriteNumber("first_index", first);
        WriteHashes(json, "prefix", prefix);
        json.WriteNumber("end_index", end);
        json.WriteNumber("tree_size", treeSize);
        WriteHashes(json, "consistency", endToTree);
        json.WriteEndObject();
    }

    public static void WriteCheckpoints(Utf8JsonWriter json, IReadOnlyList<ChainLink> chain)
    {
        json.WriteStartObject();
        json.WriteString("covering", chain[^1].Checkpoint.Note);
        json.WriteStartArray("chain");
        foreach (var link in chain)
        {
            json.WriteStartObject();
            json.WriteString("note", link.Checkpoint.Note);
            WriteHashes(json, "proof", link.Proof);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteHashes(Utf8JsonWriter json, string name, IReadOnlyList<byte[]> hashes)
    {
        json.WriteStartArray(name);
        foreach (var hash in hashes)
        {
            json.WriteStringValue(Convert.ToBase64String(hash));
        }
        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
