using System.IO.Compression;
using System.Text.Json;
using Proctor.Evidence.Package;

namespace Proctor.Evidence.Verification;

/// <summary>package.json, tree.json and checkpoints.json as the verifier reads them; a missing or malformed field throws <see cref="FormatException"/>.</summary>
internal sealed record PackageDescription(ExportRequest Request, long FirstIndex, long EndIndex, long TreeSize, byte[] RootHash, long EventsIncluded, long EventsWithheld);

internal sealed record PackageTree(long FirstIndex, IReadOnlyList<byte[]> Prefix, long EndIndex, long TreeSize, IReadOnlyList<byte[]> Consistency);

internal sealed record PackagedCheckpoint(string Note, IReadOnlyList<byte[]> Proof);

internal sealed record PackageCheckpoints(string Covering, IReadOnlyList<PackagedCheckpoint> Chain);

internal static class PackageReader
{
    public static PackageDescription Description(ZipArchiveEntry entry) => Read(entry, root => new PackageDescription(
        new ExportRequest(root.GetProperty("from").GetDateTimeOffset(), root.GetProperty("to").GetDateTimeOffset(), OptionalString(root, "server"), OptionalString(root, "identity")),
        root.GetProperty("first_index").GetInt64(), root.GetProperty("end_index").GetInt64(), root.GetProperty("tree_size").GetInt64(),
        root.GetProperty("root_hash").GetBytesFromBase64(), root.GetProperty("events_included").GetInt64(), root.GetProperty("events_withheld").GetInt64()));

    public static PackageTree Tree(ZipArchiveEntry entry) => Read(entry, root => new PackageTree(
        root.GetProperty("first_index").GetInt64(), Hashes(root.GetProperty("prefix")), root.GetProperty("end_index").GetInt64(),
        root.GetProperty("tree_size").GetInt64(), Hashes(root.GetProperty("consistency"))));

    public static PackageCheckpoints Checkpoints(ZipArchiveEntry entry) => Read(entry, root => new PackageCheckpoints(
        root.GetProperty("covering").GetString()!,
        [.. root.GetProperty("chain").EnumerateArray().Select(c => new PackagedCheckpoint(c.GetProperty("note").GetString()!, Hashes(c.GetProperty("proof"))))]));

    private static T Read<T>(ZipArchiveEntry entry, Func<JsonElement, T> read)
    {
        try
        {
            using var stream = entry.Open();
            using var document = JsonDocument.Parse(stream);
            return read(document.RootElement);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            throw new FormatException($"{entry.FullName} is not as the package format describes: {ex.Message}", ex);
        }
    }

    private static string? OptionalString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<byte[]> Hashes(JsonElement array) =>
        [.. array.EnumerateArray().Select(h => h.GetBytesFromBase64() is { Length: 32 } hash ? hash : throw new FormatException("a hash in the package is not 32 bytes"))];

    public static ZipArchiveEntry Required(Dictionary<string, List<ZipArchiveEntry>> files, string name) =>
        PackageVerifier.Single(files, name) ?? throw new FormatException($"the package has no {name}");

    public static readonly string[] Structural = [PackageFiles.Description, PackageFiles.Tree, PackageFiles.Checkpoints, PackageFiles.Events, PackageFiles.Leaves];
}
