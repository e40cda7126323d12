using System.Text;
using System.Text.Json.Nodes;
using Proctor.Ledger.Log;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>One stored entry: its index, its bytes as stored (empty once its payload was purged) and its event.</summary>
internal sealed record StoredEvent(long Index, string Text)
{
    public JsonNode? Event { get; } = Text.Length == 0 ? null : JsonNode.Parse(Text)!["event"];

    public string? Kind => (string?)Event?["kind"];
}

/// <summary>
/// What a gateway stored, read back the two ways an examiner can: through the ledger store (its log and index, as the CLI
/// reads them) and straight from the log's files with the published frame format; and the log edited as someone with
/// access to its files could.
/// </summary>
internal static class StoredEvents
{
    /// <summary>Every entry in index order, through the store.</summary>
    public static async Task<List<StoredEvent>> ReadAsync(string databasePath)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(databasePath);
        var events = new List<StoredEvent>();
        for (long start = 0; ;)
        {
            var page = await store.ReadEntriesAsync(start, 8_192, default);
            if (page.Count == 0)
            {
                return events;
            }
            events.AddRange(page.Select(e => new StoredEvent(e.Index, e.Bytes is null ? "" : Encoding.UTF8.GetString(e.Bytes))));
            start = page[^1].Index + 1;
        }
    }

    /// <summary>
    /// Every entry in index order, straight from the log's files (no lock, no index): what a running gateway has committed,
    /// read as an examiner with a copy of the folder would.
    /// </summary>
    public static List<StoredEvent> FromLog(string databasePath) =>
        [.. Frames(Path.ChangeExtension(databasePath, ".ledger")).SelectMany(frame => frame.Entries.Select((entry, i) =>
            new StoredEvent(frame.FirstIndex + i, entry is null ? "" : Encoding.UTF8.GetString(entry))))];

    public static async Task<List<JsonNode>> OfKindAsync(string databasePath, string kind) =>
        [.. (await ReadAsync(databasePath)).Where(e => e.Kind == kind).Select(e => e.Event!)];

    /// <summary>The entries of every log in <paramref name="folder"/>, decompressed, one per line: the log's payloads as text, for searching.</summary>
    public static string DecodedLogs(string folder)
    {
        var text = new StringBuilder();
        foreach (var log in Directory.EnumerateDirectories(folder, "*.ledger", SearchOption.AllDirectories))
        {
            foreach (var frame in Frames(log))
            {
                foreach (var entry in frame.Entries.Where(e => e is not null))
                {
                    text.Append(Encoding.UTF8.GetString(entry!)).Append('\n');
                }
            }
        }
        return text.ToString();
    }

    /// <summary>Rewrites entry <paramref name="index"/> of the log with <paramref name="edit"/> applied, keeping its leaf hash and giving its record a valid checksum.</summary>
    public static void EditEntry(string databasePath, long index, Func<string, string> edit)
    {
        var log = Path.ChangeExtension(databasePath, ".ledger");
        var frames = Frames(log);
        var segment = Assert.Single(Directory.GetFiles(log, "*.seg"));
        using var builder = new FrameBuilder();
        using var file = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var length = file.Length;
        foreach (var frame in frames)
        {
            builder.Begin(frame.FirstIndex);
            for (var i = 0; i < frame.Entries.Length; i++)
            {
                var entry = frame.FirstIndex + i == index ? Encoding.UTF8.GetBytes(edit(Encoding.UTF8.GetString(frame.Entries[i]!))) : frame.Entries[i];
                builder.AddSealed(entry, frame.Leaves[i], purged: entry is null);
            }
            file.Write(builder.Finish());
        }
        file.Write(new byte[length - file.Position]);
    }

    private static List<(long FirstIndex, byte[]?[] Entries, byte[][] Leaves)> Frames(string log)
    {
        var frames = new List<(long, byte[]?[], byte[][])>();
        foreach (var segment in Directory.GetFiles(log, "*.seg").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(segment);
            for (var offset = 0; LogFrame.ReadHeader(bytes.AsSpan(offset)) is { IsSeal: false } header; offset += header.Length)
            {
                var frame = bytes.AsSpan(offset, header.Length);
                if (!LogFrame.HasValidChecksum(frame))
                {
                    break; // an unfinished write at the end
                }
                frames.Add((header.FirstIndex, LogFrame.ReadEntries(frame, header), [.. Enumerable.Range(0, header.Count).Select(i => LogFrame.LeafHash(bytes.AsSpan(offset, header.Length), i).ToArray())]));
            }
        }
        return frames;
    }
}
