using Proctor.Ledger.Log;

namespace Proctor.Storage.Sqlite.Ledger.Log;

/// <summary>What is at an offset of a segment: a whole frame with a good checksum, a seal, the zeros after the last frame, or anything else.</summary>
internal enum Found
{
    Frame,
    Seal,
    End,
    Invalid,
}

internal readonly record struct ScannedFrame(Found Kind, long Offset, FrameHeader Header, ReadOnlyMemory<byte> Bytes)
{
    public long Segment { get; init; }

    public FrameLocation Location => new(Segment, Offset, Header.FirstIndex, Header.Count);
}

/// <summary>
/// Reads frames out of one segment through a read-ahead window, so a sequential scan costs one read per window rather
/// than two per frame. What a frame's bytes point to is valid until the next call. Short-lived: one per read operation,
/// so the window never holds bytes older than the operation.
/// </summary>
internal sealed class SegmentScanner(Segment segment) : IDisposable
{
    private const int WindowBytes = 1 << 20;
    private static ReadOnlySpan<byte> Magic => "PLOG"u8;
    private byte[] _window = System.Buffers.ArrayPool<byte>.Shared.Rent(WindowBytes);
    private long _windowStart = -1;
    private int _windowLength;

    public Segment Segment => segment;

    public ScannedFrame At(long offset)
    {
        if (offset + LogFrame.HeaderSize > segment.Length)
        {
            return new(Found.End, offset, default, default);
        }
        var head = Read(offset, LogFrame.HeaderSize).Span;
        if (!head.ContainsAnyExcept((byte)0))
        {
            return new(Found.End, offset, default, default);
        }
        if (LogFrame.ReadHeader(head) is not { } header || offset + header.Length > segment.Length)
        {
            return new(Found.Invalid, offset, default, default);
        }
        var frame = Read(offset, header.Length);
        return LogFrame.HasValidChecksum(frame.Span)
            ? new(header.IsSeal ? Found.Seal : Found.Frame, offset, header, frame) { Segment = segment.FirstIndex }
            : new(Found.Invalid, offset, header, default);
    }

    /// <summary>Whether a whole, valid frame starts anywhere after <paramref name="offset"/>: then what is at the offset is damage, not a torn end.</summary>
    public bool AnyValidFrameAfter(long offset) => NextValidFrame(offset) >= 0;

    /// <summary>Where the first whole, valid frame (or seal) after <paramref name="offset"/> starts, or -1.</summary>
    public long NextValidFrame(long offset)
    {
        using var probe = new SegmentScanner(segment);
        var buffer = new byte[WindowBytes + Magic.Length];
        for (var start = offset + 1; start < segment.Length; start += WindowBytes)
        {
            var read = RandomAccess.Read(segment.Handle, buffer, start);
            var span = buffer.AsSpan(0, read);
            for (var at = span.IndexOf(Magic); at >= 0; at = NextMatch(span, at))
            {
                if (probe.At(start + at).Kind is Found.Frame or Found.Seal)
                {
                    return start + at;
                }
            }
        }
        return -1;
    }

    private static int NextMatch(ReadOnlySpan<byte> span, int at)
    {
        var next = span[(at + 1)..].IndexOf(Magic);
        return next < 0 ? -1 : at + 1 + next;
    }

    /// <summary>Where the non-zero bytes starting at <paramref name="offset"/> end: the extent of a torn write to clear.</summary>
    public long EndOfNonZero(long offset, long atLeast)
    {
        var buffer = new byte[64 * 1024];
        var end = offset;
        for (var start = offset; start < segment.Length; start += buffer.Length)
        {
            var read = RandomAccess.Read(segment.Handle, buffer, start);
            var last = buffer.AsSpan(0, read).LastIndexOfAnyExcept((byte)0);
            if (last >= 0)
            {
                end = start + last + 1;
            }
            else if (start >= atLeast)
            {
                break;
            }
        }
        return end;
    }

    private ReadOnlyMemory<byte> Read(long offset, int length)
    {
        if (offset >= _windowStart && offset + length <= _windowStart + _windowLength)
        {
            return _window.AsMemory((int)(offset - _windowStart), length);
        }
        if (length > _window.Length)
        {
            var whole = new byte[length];
            var got = RandomAccess.Read(segment.Handle, whole, offset);
            return whole.AsMemory(0, got);
        }
        _windowStart = offset;
        _windowLength = RandomAccess.Read(segment.Handle, _window, offset);
        return _window.AsMemory(0, Math.Min(length, _windowLength));
    }

    /// <summary>Forgets the window: bytes on disk may have changed under it (an in-place rewrite, a cut, an append).</summary>
    public void Invalidate()
    {
        _windowStart = -1;
        _windowLength = 0;
    }

    public void Dispose()
    {
        System.Buffers.ArrayPool<byte>.Shared.Return(_window);
        _window = [];
    }
}
