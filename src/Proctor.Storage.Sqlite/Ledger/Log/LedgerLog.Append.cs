using Proctor.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>Builds the frame of a batch once its first index is known (the entry bytes name their index).</summary>
internal delegate ReadOnlySpan<byte> FrameBuild(long firstIndex);

/// <summary>Where a frame sits: the segment (by its first index), the byte offset in it, and the entries it holds.</summary>
internal readonly record struct FrameLocation(long Segment, long Offset, long FirstIndex, int Count)
{
    public long EndIndex => FirstIndex + Count;
}

internal sealed partial class LedgerLog
{
    private Writer? _writer;
    private Task<(string Path, long Length)>? _spare;
    private CancellationTokenSource? _spareCancel;

    /// <summary>Torn tails cut since this log was opened, oldest first.</summary>
    public List<TornTail> Cuts { get; } = [];

    /// <summary>
    /// Appends one batch of <paramref name="count"/> entries under the writer lock: finds where the log ends now (other
    /// processes may have appended, a dead writer may have left a torn frame), builds the frame for that index, writes
    /// it and returns once <c>fdatasync</c> has. Nothing of a failed append is acknowledged; its bytes, if any reached
    /// the disk, are either a whole frame (entries durable but never confirmed) or a torn one the next append cuts.
    /// </summary>
    public FrameLocation Append(FrameBuild build, int count) => WithLock(exclusive: true, () =>
    {
        var writer = _writer is null ? Recover() : CatchUp(_writer);
        var frame = build(writer.Next);
        if (writer.Tail + frame.Length + LogFrame.SealSize > writer.Active.Length)
        {
            writer = Roll(writer, frame.Length);
        }
        RandomAccess.Write(writer.Active.Handle, frame, writer.Tail);
        Posix.DataSync(writer.Active.Handle, writer.Active.Path);
        var location = new FrameLocation(writer.Active.FirstIndex, writer.Tail, writer.Next, count);
        writer.Tail += frame.Length;
        writer.Next += count;
        PrepareSpareWhenHalfFull(writer);
        return location;
    });

    /// <summary>What a writer does before its first append: replay an interrupted purge, find the end, cut a torn tail, drop dead spares.</summary>
    private Writer Recover()
    {
        RedoJournal();
        var writer = FindEnd();
        foreach (var spare in _folder.AbandonedSpares())
        {
            File.Delete(spare);
        }
        return writer;
    }

    /// <summary>The writer's position is still the end unless bytes appeared there: then scan them as recovery does.</summary>
    private Writer CatchUp(Writer writer)
    {
        Span<byte> head = stackalloc byte[LogFrame.HeaderSize];
        var read = RandomAccess.Read(writer.Active.Handle, head, writer.Tail);
        return read < head.Length || head.ContainsAnyExcept((byte)0) ? ScanToEnd(writer.Active, writer.Tail, writer.Next) : writer;
    }

    /// <summary>Finds the end of the log from the start of its last segment, creating the first segment of a new log.</summary>
    private Writer FindEnd()
    {
        _writer?.Active.Dispose();
        _writer = null;
        var segments = _folder.ListSegments();
        if (segments.Length == 0)
        {
            return _writer = new Writer(CreateSegment(0, _options.FirstSegmentBytes), 0, 0);
        }
        var last = segments[^1];
        return ScanToEnd(Segment.Open(_folder.SegmentPath(last), last, write: true), 0, last);
    }

    /// <summary>Walks frames from <paramref name="offset"/> to the end of the log, following seals, and cuts a torn tail there.</summary>
    private Writer ScanToEnd(Segment segment, long offset, long expected)
    {
        while (true)
        {
            using var scanner = new SegmentScanner(segment);
            var found = scanner.At(offset);
            while (found.Kind == Found.Frame)
            {
                if (found.Header.FirstIndex != expected)
                {
                    throw Damaged(expected, segment, offset, $"holds entries from index {found.Header.FirstIndex} where index {expected} belongs");
                }
                expected = found.Header.EndIndex;
                offset += found.Header.Length;
                found = scanner.At(offset);
            }
            if (found.Kind == Found.Seal)
            {
                if (found.Header.FirstIndex != expected)
                {
                    throw Damaged(expected, segment, offset, $"is a seal naming index {found.Header.FirstIndex} where the log is at {expected}");
                }
                var nextPath = _folder.SegmentPath(expected);
                Release(segment);
                segment = File.Exists(nextPath) ? Segment.Open(nextPath, expected, write: true) : CreateSegment(expected, NextSegmentLength(segment.Length));
                offset = 0;
                continue;
            }
            if (found.Kind == Found.Invalid)
            {
                CutTornTail(scanner, offset, expected, found.Header);
            }
            return _writer = new Writer(segment, offset, expected);
        }
    }

    private void Release(Segment segment)
    {
        segment.Dispose();
        _writer = null;
    }

    /// <summary>
    /// Clears bytes at the end of the log that do not form a whole frame: what a writer left when it died mid-write,
    /// before <c>fdatasync</c> returned, so no caller was ever told they were recorded. Refuses when valid records
    /// follow them or a signed checkpoint covers them: those bytes were durable once, so they were damaged, not torn.
    /// </summary>
    private void CutTornTail(SegmentScanner scanner, long offset, long expected, FrameHeader claimed)
    {
        var segment = scanner.Segment;
        if (scanner.AnyValidFrameAfter(offset) || _folder.ListSegments().Any(first => first > segment.FirstIndex))
        {
            throw Damaged(expected, segment, offset, "fails its checksum and valid records follow it, so it is not a torn end");
        }
        var signed = _signedSize();
        if (expected < signed)
        {
            throw Damaged(expected, segment, offset, $"fails its checksum but a signed checkpoint covers {signed} entries, so it was durable once and is not a torn end");
        }
        var end = scanner.EndOfNonZero(offset, offset + Math.Max(claimed.Length, LogFrame.HeaderSize));
        var zeros = new byte[64 * 1024];
        for (var at = offset; at < end; at += zeros.Length)
        {
            RandomAccess.Write(segment.Handle, zeros.AsSpan(0, (int)Math.Min(zeros.Length, end - at)), at);
        }
        Posix.DataSync(segment.Handle, segment.Path);
        scanner.Invalidate();
        Cuts.Add(new TornTail(segment.Path, offset, end - offset, expected));
    }

    private LogDamagedException Damaged(long index, Segment segment, long offset, string what) => new(index,
        $"The ledger log is damaged: the record at offset {offset} of {segment.Path} (where index {index} belongs) {what}. " +
        "Nothing was changed. Run `proctor audit verify` to see what is affected, and restore the log folder from a backup.");

    /// <summary>Seals the full segment and moves to a new one big enough for the frame; an empty segment is replaced by a bigger one.</summary>
    private Writer Roll(Writer writer, int frameLength)
    {
        var length = Math.Max(NextSegmentLength(writer.Active.Length), RoundUpToMiB(frameLength + LogFrame.SealSize));
        if (writer.Tail == 0)
        {
            var first = writer.Active.FirstIndex;
            writer.Active.Dispose();
            _writer = null;
            File.Delete(_folder.SegmentPath(first));
            return _writer = new Writer(CreateSegment(first, length), 0, writer.Next);
        }
        Span<byte> seal = stackalloc byte[LogFrame.SealSize];
        LogFrame.WriteSeal(seal, writer.Next);
        RandomAccess.Write(writer.Active.Handle, seal, writer.Tail);
        Posix.DataSync(writer.Active.Handle, writer.Active.Path);
        writer.Tail += LogFrame.SealSize; // the seal is durable: whatever happens next, the log continues in the next segment
        var next = CreateSegment(writer.Next, length);
        writer.Active.Dispose();
        return _writer = new Writer(next, 0, writer.Next);
    }

    private Segment CreateSegment(long firstIndex, long length)
    {
        var path = _folder.SegmentPath(firstIndex);
        var spare = TakeSpare(length);
        if (spare is null)
        {
            EnsureCapacity(length);
            spare = _folder.SparePath();
            try
            {
                Segment.WriteZeroed(spare, length);
            }
            catch
            {
                File.Delete(spare);
                throw;
            }
        }
        File.Move(spare, path);
        Posix.SyncDirectory(_folder.Path);
        return Segment.Open(path, firstIndex, write: true);
    }

    private long NextSegmentLength(long current) => Math.Clamp(current * 2, _options.FirstSegmentBytes, _options.MaxSegmentBytes);

    private static long RoundUpToMiB(long bytes) => (bytes + (1 << 20) - 1) / (1 << 20) * (1 << 20);

    /// <summary>Zero-fills the next segment in the background once the current one is half used, so a roll is a rename.</summary>
    private void PrepareSpareWhenHalfFull(Writer writer)
    {
        if (_spare is not null || writer.Tail < writer.Active.Length / 2)
        {
            return;
        }
        var length = NextSegmentLength(writer.Active.Length);
        var path = _folder.SparePath();
        _spareCancel = new CancellationTokenSource();
        var cancel = _spareCancel.Token;
        _spare = Task.Run(() =>
        {
            try
            {
                EnsureCapacity(length);
                cancel.ThrowIfCancellationRequested();
                Segment.WriteZeroed(path, length, syncEachChunk: true);
                cancel.ThrowIfCancellationRequested();
                return (path, length);
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }, cancel);
    }

    private string? TakeSpare(long length)
    {
        if (_spare is not { IsCompleted: true } done)
        {
            return null;
        }
        _spare = null;
        _spareCancel?.Dispose();
        _spareCancel = null;
        if (!done.IsCompletedSuccessfully)
        {
            _ = done.Exception; // a spare that could not be made: the roll makes one itself and reports why if it fails too
            return null;
        }
        if (done.Result.Length >= length)
        {
            return done.Result.Path;
        }
        File.Delete(done.Result.Path);
        return null;
    }

    private void DropSpare()
    {
        _spareCancel?.Cancel();
        _spareCancel?.Dispose();
        _spareCancel = null;
        if (_spare is { } spare)
        {
            try
            {
                spare.Wait();
                File.Delete(spare.Result.Path);
            }
            catch (AggregateException)
            {
                // it deleted its own file
            }
        }
        _spare = null;
    }

    private void EnsureCapacity(long length)
    {
        if (CapacityBytes is not { } capacity)
        {
            return;
        }
        var used = Directory.EnumerateFiles(_folder.Path).Sum(file => new FileInfo(file).Length);
        if (used + length > capacity)
        {
            throw new IOException($"No space left on device (the ledger log's test capacity of {capacity} bytes is reached).", NoSpace);
        }
    }

    /// <summary>ENOSPC, as .NET reports it in an <see cref="IOException"/>'s HResult on Linux.</summary>
    internal const int NoSpace = 28;

    private sealed class Writer(Segment active, long tail, long next)
    {
        public Segment Active { get; set; } = active;
        public long Tail { get; set; } = tail;
        public long Next { get; set; } = next;
    }
}
