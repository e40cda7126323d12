using Proctor.Ledger.Log;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>One frame of the log as an intruder with file access reads it: its first index, and each entry's bytes (null once purged) with its leaf hash.</summary>
internal sealed record TamperedFrame(long FirstIndex, List<(byte[]? Entry, byte[] Leaf)> Entries);

/// <summary>
/// The ledger log's files read and written directly, with the published frame format (Proctor.Ledger.Log) and nothing of
/// the store: what someone with write access to the folder can do, and what a crash can leave.
/// </summary>
internal static class LogFiles
{
    public static string[] Segments(string folder) => [.. Directory.GetFiles(folder, "*.seg").Order(StringComparer.Ordinal)];

    /// <summary>Every frame of every segment, in order, up to the zeros after the last one.</summary>
    public static List<TamperedFrame> ReadFrames(string folder)
    {
        var frames = new List<TamperedFrame>();
        foreach (var segment in Segments(folder))
        {
            var bytes = File.ReadAllBytes(segment);
            for (var offset = 0; LogFrame.ReadHeader(bytes.AsSpan(offset)) is { } header; offset += header.Length)
            {
                var frame = bytes.AsSpan(offset, header.Length);
                Assert.True(LogFrame.HasValidChecksum(frame), $"frame at {offset} of {segment} fails its checksum");
                if (header.IsSeal)
                {
                    break;
                }
                var entries = LogFrame.ReadEntries(frame, header);
                var list = new List<(byte[]? Entry, byte[] Leaf)>();
                for (var i = 0; i < entries.Length; i++)
                {
                    list.Add((entries[i], LogFrame.LeafHash(frame, i).ToArray()));
                }
                frames.Add(new TamperedFrame(header.FirstIndex, list));
            }
        }
        return frames;
    }

    /// <summary>Writes <paramref name="frames"/> over the one segment of the log, in place (same file), each with a valid checksum, zeros after them.</summary>
    public static void WriteFrames(string folder, IEnumerable<TamperedFrame> frames)
    {
        var segment = Assert.Single(Segments(folder));
        using var builder = new FrameBuilder();
        using var file = new FileStream(segment, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var length = file.Length;
        file.Position = 0;
        foreach (var frame in frames)
        {
            builder.Begin(frame.FirstIndex);
            foreach (var (entry, leaf) in frame.Entries)
            {
                builder.AddSealed(entry, leaf, purged: entry is null);
            }
            file.Write(builder.Finish());
        }
        file.Write(new byte[length - file.Position]);
    }

    /// <summary>Where each frame starts in the one segment, and its length.</summary>
    public static List<(long Offset, FrameHeader Header)> Layout(string folder)
    {
        var bytes = File.ReadAllBytes(Assert.Single(Segments(folder)));
        var layout = new List<(long, FrameHeader)>();
        for (var offset = 0; LogFrame.ReadHeader(bytes.AsSpan(offset)) is { } header; offset += header.Length)
        {
            layout.Add((offset, header));
        }
        return layout;
    }

    /// <summary>Overwrites bytes of the one segment in place, as a disk error, an editor or a crash would.</summary>
    public static void Overwrite(string folder, long offset, ReadOnlySpan<byte> bytes)
    {
        using var file = new FileStream(Assert.Single(Segments(folder)), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        file.Position = offset;
        file.Write(bytes);
    }

    public static byte ByteAt(string folder, long offset)
    {
        using var file = new FileStream(Assert.Single(Segments(folder)), FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        file.Position = offset;
        return (byte)file.ReadByte();
    }
}
