using Proctor.Ledger.Log;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Ledger.Log;

internal sealed partial class LedgerLog
{
    private readonly object _hints = new();
    private ReadPosition? _cursor;

    /// <summary>
    /// Up to <paramref name="count"/> entries from index <paramref name="start"/> on, in log order, decoded. Stops at the end
    /// of the log; throws <see cref="LogDamagedException"/> when the first record to read is damaged.
    /// </summary>
    /// <param name="locate">Where the frame holding an index is, from the query index; a guess that is checked, not trusted.</param>
    public List<LedgerEntry> ReadEntries(long start, int count, Func<long, FrameLocation?>? locate)
    {
        // Frames are gathered first and decompressed in parallel: decompression is most of a verifier's reading.
        var frames = new List<(FrameHeader Header, byte[] Bytes)>();
        var gathered = 0L;
        LogDamagedException? damaged = null;
        try
        {
            Walk(start, locate, frame =>
            {
                frames.Add((frame.Header, frame.Bytes.ToArray()));
                gathered += frame.Header.EndIndex - Math.Max(start, frame.Header.FirstIndex);
                return gathered < count;
            });
        }
        catch (LogDamagedException ex)
        {
            damaged = ex; // what comes before the damaged record stands; the next read starts at it and reports it
        }
        var decoded = new byte[]?[frames.Count][];
        var failures = new LogDamagedException?[frames.Count];
        Parallel.For(0, frames.Count, i =>
        {
            try
            {
                decoded[i] = Decode(new ScannedFrame(Found.Frame, 0, frames[i].Header, frames[i].Bytes));
            }
            catch (LogDamagedException ex)
            {
                failures[i] = ex;
            }
        });
        var entries = new List<LedgerEntry>((int)Math.Min(count, gathered));
        for (var f = 0; f < frames.Count && entries.Count < count; f++)
        {
            if (failures[f] is { } failure)
            {
                damaged = failure;
                break;
            }
            var (header, bytes) = frames[f];
            for (var i = 0; i < header.Count && entries.Count < count; i++)
            {
                if (header.FirstIndex + i >= start)
                {
                    entries.Add(new LedgerEntry(header.FirstIndex + i, decoded[f][i], LogFrame.LeafHash(bytes, i).ToArray()));
                }
            }
        }
        if (entries.Count == 0 && damaged is not null)
        {
            throw damaged;
        }
        return entries;
    }

    /// <summary>Whole frames from the one holding <paramref name="start"/> on, where they are and what they hold, until <paramref name="visit"/> says stop.</summary>
    public void ReadFrames(long start, Func<long, FrameLocation?>? locate, Func<FrameLocation, byte[]?[], bool> visit) =>
        Walk(start, locate, frame => visit(frame.Location, Decode(frame)));

    /// <summary>Leaf hashes of indexes [start, start+count), fewer if the log ends first; no payload is decompressed.</summary>
    public List<byte[]> ReadLeafHashes(long start, int count, Func<long, FrameLocation?>? locate)
    {
        var leaves = new List<byte[]>(count);
        Walk(start, locate, frame =>
        {
            for (var i = 0; i < frame.Header.Count && leaves.Count < count; i++)
            {
                if (frame.Header.FirstIndex + i >= start)
                {
                    leaves.Add(LogFrame.LeafHash(frame.Bytes.Span, i).ToArray());
                }
            }
            return leaves.Count < count;
        });
        return leaves;
    }

    /// <summary>
    /// One past the last index in the log, walked from the start of the last segment (never from a remembered position,
    /// which an edit behind this process's back would make wrong). The walk runs without the lock, then finishes under
    /// the shared lock: once that is held no writer of any process is between its write and its <c>fdatasync</c>, so
    /// everything counted is durable, and appends wait only for the last few frames, never for the whole walk.
    /// </summary>
    public long Size()
    {
        var segments = _folder.ListSegments();
        if (segments.Length == 0)
        {
            return 0L;
        }
        var seen = WalkToEnd(new ReadPosition(segments[^1], 0, segments[^1], 0));
        return WithLock(exclusive: false, () => WalkToEnd(seen).FirstIndex);
    }

    /// <summary>Follows frames and seals to the end of the log, stepping over damage (readers report it); returns the end.</summary>
    private ReadPosition WalkToEnd(ReadPosition from)
    {
        var (first, offset, end, _) = from;
        while (true)
        {
            using var segment = ReadSegment(first);
            using var scanner = new SegmentScanner(segment);
            for (var found = scanner.At(offset); ; found = scanner.At(offset))
            {
                if (found.Kind == Found.Frame)
                {
                    (end, offset) = (found.Header.EndIndex, offset + found.Header.Length);
                    continue;
                }
                // Damage is stepped over: the entries after it are stored too, and readers report the damage itself.
                var next = found.Kind == Found.Invalid ? scanner.NextValidFrame(offset) : -1;
                if (next >= 0)
                {
                    offset = next;
                    continue;
                }
                if (found.Kind == Found.Seal && File.Exists(_folder.SegmentPath(found.Header.FirstIndex)))
                {
                    (first, end, offset) = (found.Header.FirstIndex, found.Header.FirstIndex, 0);
                    break;
                }
                return found.Kind == Found.Seal ? new ReadPosition(first, offset, found.Header.FirstIndex, 0) : new ReadPosition(first, offset, end, 0);
            }
        }
    }

    private static byte[]?[] Decode(ScannedFrame frame)
    {
        try
        {
            return LogFrame.ReadEntries(frame.Bytes.Span, frame.Header);
        }
        catch (InvalidDataException ex)
        {
            throw new LogDamagedException(frame.Header.FirstIndex,
                $"The ledger log record holding indexes {frame.Header.FirstIndex}–{frame.Header.EndIndex - 1} has a valid checksum but does not decode ({ex.Message}): it was rewritten. Run `proctor audit verify`.");
        }
    }

    private void Walk(long start, Func<long, FrameLocation?>? locate, Func<ScannedFrame, bool> visit)
    {
        if (Locate(start, locate) is not { } from)
        {
            return;
        }
        var stop = Walk(from, frame => frame.Header.EndIndex <= start || visit(frame));
        lock (_hints)
        {
            _cursor = stop;
        }
    }

    /// <summary>
    /// Visits frames from <paramref name="from"/> until <paramref name="visit"/> says stop or the log ends, following seals
    /// (and, where a seal is missing, the next segment by name). Returns where reading stopped: the frame it stopped on,
    /// or the end. A record that fails its checksum ends the log when nothing valid follows it; otherwise it is read
    /// again under the lock (an in-place purge may have been rewriting it) and then reported as damage.
    /// </summary>
    private ReadPosition? Walk(ReadPosition from, Func<ScannedFrame, bool> visit)
    {
        var (segmentFirst, offset, expected, _) = from;
        while (true)
        {
            Segment segment;
            try
            {
                segment = ReadSegment(segmentFirst);
            }
            catch (FileNotFoundException)
            {
                return new ReadPosition(segmentFirst, 0, expected, 0);
            }
            using var open = segment;
            using var scanner = new SegmentScanner(segment);
            var found = scanner.At(offset);
            if (found.Kind == Found.Invalid && !IsTornEnd(scanner, offset))
            {
                found = WithLock(exclusive: false, () =>
                {
                    scanner.Invalidate();
                    return scanner.At(offset);
                });
                if (found.Kind == Found.Invalid)
                {
                    throw Damaged(expected, segment, offset, "fails its checksum and valid records follow it");
                }
            }
            while (found.Kind == Found.Frame)
            {
                if (!visit(found))
                {
                    return new ReadPosition(segmentFirst, offset, found.Header.FirstIndex, found.Header.Count);
                }
                expected = found.Header.EndIndex;
                offset += found.Header.Length;
                found = scanner.At(offset);
                if (found.Kind == Found.Invalid && !IsTornEnd(scanner, offset))
                {
                    break; // checked again (under the lock) at the top of the loop
                }
            }
            if (found.Kind == Found.Invalid && !IsTornEnd(scanner, offset))
            {
                continue;
            }
            var next = found.Kind == Found.Seal ? found.Header.FirstIndex : _folder.ListSegments().FirstOrDefault(first => first > segmentFirst, -1);
            if (found.Kind is Found.Invalid or Found.End && next < 0 || found.Kind == Found.Seal && !File.Exists(_folder.SegmentPath(next)))
            {
                return new ReadPosition(segmentFirst, offset, expected, 0);
            }
            segmentFirst = next;
            offset = 0;
        }
    }

    /// <summary>Nothing valid after the failing bytes, in this segment or a later one: the end of a write that never finished.</summary>
    private bool IsTornEnd(SegmentScanner scanner, long offset) =>
        !scanner.AnyValidFrameAfter(offset) && !_folder.ListSegments().Any(first => first > scanner.Segment.FirstIndex);

    private ReadPosition? Locate(long start, Func<long, FrameLocation?>? locate)
    {
        lock (_hints)
        {
            // Where the last read stopped: the frame it stopped in, whose end is where a sequential reader continues.
            if (_cursor is { } cursor && cursor.FirstIndex <= start && start <= cursor.FirstIndex + cursor.Count)
            {
                return cursor;
            }
        }
        // A frame at or before the start: reading goes forward from it, skipping what comes before the start.
        if (locate?.Invoke(start) is { } known && known.FirstIndex <= start && Holds(known))
        {
            return new ReadPosition(known.Segment, known.Offset, known.FirstIndex, known.Count);
        }
        var segments = _folder.ListSegments();
        if (segments.Length == 0)
        {
            return null;
        }
        var containing = Array.FindLastIndex(segments, first => first <= start);
        var segment = segments[Math.Max(containing, 0)];
        return new ReadPosition(segment, 0, segment, 0);
    }

    /// <summary>Whether the frame the index points to is really there (the index is derived data, never trusted).</summary>
    private bool Holds(FrameLocation location)
    {
        try
        {
            using var segment = ReadSegment(location.Segment);
            using var scanner = new SegmentScanner(segment);
            var found = scanner.At(location.Offset);
            return found.Kind == Found.Frame && found.Header.FirstIndex == location.FirstIndex && found.Header.Count == location.Count;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>A place to read from: a segment, a byte offset, the index the frame there should start with, and its entry count if known.</summary>
    private readonly record struct ReadPosition(long Segment, long Offset, long FirstIndex, int Count);
}
