using System.Buffers.Binary;
using Proctor.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>
/// Retention: frames rewritten in place without the purged payloads. A rewritten frame keeps its place, its length and
/// every leaf hash, so offsets in the index stay right and the tree still verifies; the freed bytes are zeros, and given
/// back to the file system where it can punch holes. Each round is redo-logged: the new frame images go to
/// <c>purge.journal</c> and are synced before any frame is overwritten, so a crash mid-round leaves either the old frames
/// or a journal the next open replays, never a half-written frame.
/// </summary>
internal sealed partial class LedgerLog
{
    private const uint JournalMagic = 0x4C4E_4A50; // "PJNL"
    private const int RoundBytes = 4 << 20;

    /// <summary>
    /// Drops the payloads of <paramref name="indexes"/> (each in the frame located with it), in rounds of about 4 MiB of
    /// frames. <paramref name="purged"/> is told, inside each round and before its journal is removed, which indexes
    /// lost their payload, so the caller's index never disagrees with the log after a crash.
    /// </summary>
    public void Purge(IReadOnlyList<(FrameLocation Frame, HashSet<long> Indexes)> frames, Action<IReadOnlyList<long>> purged)
    {
        for (var start = 0; start < frames.Count;)
        {
            var round = new List<(FrameLocation Frame, HashSet<long> Indexes)>();
            var bytes = 0L;
            while (start < frames.Count && (round.Count == 0 || bytes < RoundBytes))
            {
                round.Add(frames[start++]);
                bytes += round[^1].Frame.Count * 2_048L;
            }
            WithLock(exclusive: true, () => PurgeRound(round, purged));
        }
    }

    private void PurgeRound(List<(FrameLocation Frame, HashSet<long> Indexes)> round, Action<IReadOnlyList<long>> purged)
    {
        var images = new List<FrameImage>();
        var dropped = new List<long>();
        using var builder = new FrameBuilder();
        foreach (var (location, indexes) in round)
        {
            using var segment = ReadSegment(location.Segment);
            using var scanner = new SegmentScanner(segment);
            var found = scanner.At(location.Offset);
            if (found.Kind != Found.Frame || found.Header.FirstIndex != location.FirstIndex)
            {
                throw new LogDamagedException(location.FirstIndex, $"The ledger log has no intact record holding index {location.FirstIndex} at offset {location.Offset} of segment {location.Segment}; nothing was purged. Run `proctor audit verify`.");
            }
            var entries = Decode(found);
            builder.Begin(found.Header.FirstIndex);
            for (var i = 0; i < entries.Length; i++)
            {
                var drop = entries[i] is not null && indexes.Contains(found.Header.FirstIndex + i);
                builder.AddSealed(drop ? default : entries[i], LogFrame.LeafHash(found.Bytes.Span, i), purged: drop || entries[i] is null);
                if (drop)
                {
                    dropped.Add(found.Header.FirstIndex + i);
                }
            }
            images.Add(new FrameImage(location.Segment, location.Offset, builder.Finish(found.Header.Length).ToArray()));
        }
        if (dropped.Count == 0)
        {
            return;
        }
        WriteJournal(images, dropped);
        Apply(images);
        purged(dropped);
        File.Delete(_folder.JournalPath);
    }

    /// <summary>Replays a purge round a crash interrupted; its indexes are then in <see cref="PendingPurge"/> for the caller's index.</summary>
    private void RedoJournal()
    {
        if (!File.Exists(_folder.JournalPath))
        {
            return;
        }
        if (ReadJournal(File.ReadAllBytes(_folder.JournalPath)) is not { } journal)
        {
            File.Delete(_folder.JournalPath); // torn while being written: no frame was overwritten yet
            return;
        }
        Apply(journal.Images);
        PendingPurge = journal.Dropped;
    }

    /// <summary>Indexes a replayed purge round dropped; the caller marks them purged in its index, then calls <see cref="PurgeReplayed"/>.</summary>
    public IReadOnlyList<long>? PendingPurge { get; private set; }

    public void PurgeReplayed() => WithLock(exclusive: true, () =>
    {
        PendingPurge = null;
        File.Delete(_folder.JournalPath);
    });

    private void Apply(IReadOnlyList<FrameImage> images)
    {
        foreach (var group in images.GroupBy(image => image.Segment))
        {
            using var segment = Segment.Open(_folder.SegmentPath(group.Key), group.Key, write: true);
            foreach (var image in group)
            {
                RandomAccess.Write(segment.Handle, image.Bytes, image.Offset);
            }
            Posix.DataSync(segment.Handle, segment.Path);
            foreach (var image in group)
            {
                PunchFreedPages(segment, image);
            }
        }
    }

    /// <summary>The zero padding inside a shrunken frame, in whole file-system pages, goes back to the disk.</summary>
    private static void PunchFreedPages(Segment segment, FrameImage image)
    {
        const int Page = 4096;
        var header = LogFrame.ReadHeader(image.Bytes)!.Value;
        var freedStart = image.Offset + LogFrame.HeaderSize + (long)LogFrame.LeafSize * header.Count + header.StoredPayloadLength;
        var freedEnd = image.Offset + header.Length - LogFrame.ChecksumSize;
        var first = (freedStart + Page - 1) / Page * Page;
        var last = freedEnd / Page * Page;
        if (last > first)
        {
            Posix.TryPunchHole(segment.Handle, first, last - first);
        }
    }

    private void WriteJournal(List<FrameImage> images, List<long> dropped)
    {
        using var journal = new MemoryStream();
        using (var writer = new BinaryWriter(journal, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            // BinaryWriter writes little-endian, as ReadJournal reads.
            writer.Write(JournalMagic);
            writer.Write(images.Count);
            foreach (var image in images)
            {
                writer.Write(image.Segment);
                writer.Write(image.Offset);
                writer.Write(image.Bytes.Length);
                writer.Write(image.Bytes);
            }
            writer.Write(dropped.Count);
            foreach (var index in dropped)
            {
                writer.Write(index);
            }
            writer.Write(LogFrame.Crc32C(journal.GetBuffer().AsSpan(0, (int)journal.Length)));
        }
        using (var file = File.OpenHandle(_folder.JournalPath, FileMode.Create, FileAccess.Write, FileShare.Read))
        {
            RandomAccess.Write(file, journal.GetBuffer().AsSpan(0, (int)journal.Length), 0);
            Posix.DataSync(file, _folder.JournalPath);
        }
        Posix.SyncDirectory(_folder.Path);
    }

    private static (List<FrameImage> Images, List<long> Dropped)? ReadJournal(byte[] bytes)
    {
        if (bytes.Length < 16 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != JournalMagic
            || LogFrame.Crc32C(bytes.AsSpan(0, bytes.Length - 4)) != BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)))
        {
            return null;
        }
        var at = 4;
        int Int() { var value = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)); at += 4; return value; }
        long Long() { var value = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)); at += 8; return value; }
        var images = new List<FrameImage>();
        for (var n = Int(); n > 0; n--)
        {
            var segment = Long();
            var offset = Long();
            var length = Int();
            images.Add(new FrameImage(segment, offset, bytes.AsSpan(at, length).ToArray()));
            at += length;
        }
        var dropped = new List<long>();
        for (var n = Int(); n > 0; n--)
        {
            dropped.Add(Long());
        }
        return (images, dropped);
    }

    private sealed record FrameImage(long Segment, long Offset, byte[] Bytes);
}
