using System.Buffers;
using System.Buffers.Binary;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;
using ZstdSharp;

namespace Proctor.Ledger.Log;

/// <summary>
/// Builds one entries frame (<see cref="LogFrame"/>): seals each canonical event as entry n with its leaf hash, which is
/// the only time the entry bytes and the hash are computed, then compresses the batch once. Reused by one writer; not
/// thread-safe.
/// </summary>
public sealed class FrameBuilder : IDisposable
{
    private readonly ArrayBufferWriter<byte> _raw = new(64 * 1024);
    private readonly ArrayBufferWriter<byte> _leaves = new(32 * 64);
    private readonly List<int> _lengths = new(64);
    private readonly Compressor _compressor = FrameCompression.NewCompressor();
    private byte[] _frame = new byte[64 * 1024];
    private long _firstIndex;

    /// <summary>Bytes of entries added so far, before compression.</summary>
    public int RawBytes => _raw.WrittenCount;

    public int Count => _lengths.Count;

    public long FirstIndex => _firstIndex;

    public void Begin(long firstIndex)
    {
        _firstIndex = firstIndex;
        _raw.ResetWrittenCount();
        _leaves.ResetWrittenCount();
        _lengths.Clear();
    }

    /// <summary>Seals <paramref name="canonicalEvent"/> as the next entry (what <see cref="LedgerEntry.Seal"/> builds) and returns its leaf hash.</summary>
    public byte[] AddEvent(ReadOnlySpan<byte> canonicalEvent)
    {
        var start = _raw.WrittenCount;
        EntryLayout.Write(_firstIndex + _lengths.Count, canonicalEvent, _raw);
        var entry = _raw.WrittenSpan[start..];
        var leaf = MerkleHash.Leaf(entry);
        Add(entry.Length, leaf);
        return leaf;
    }

    /// <summary>Adds an entry already sealed (a migrated or rewritten one), or a purged one (<paramref name="entry"/> null).</summary>
    public void AddSealed(ReadOnlySpan<byte> entry, ReadOnlySpan<byte> leafHash, bool purged)
    {
        if (!purged)
        {
            entry.CopyTo(_raw.GetSpan(entry.Length));
            _raw.Advance(entry.Length);
        }
        Add(purged ? 0 : entry.Length, leafHash);
    }

    private void Add(int length, ReadOnlySpan<byte> leaf)
    {
        leaf.CopyTo(_leaves.GetSpan(LogFrame.LeafSize));
        _leaves.Advance(LogFrame.LeafSize);
        _lengths.Add(length);
    }

    /// <summary>
    /// The finished frame. With <paramref name="exactLength"/> the frame is padded with zeros to that length (a frame
    /// rewritten in place by a purge keeps its place and size); it MUST fit.
    /// </summary>
    public ReadOnlySpan<byte> Finish(int? exactLength = null)
    {
        foreach (var entryLength in _lengths)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_raw.GetSpan(4), entryLength);
            _raw.Advance(4);
        }
        var raw = _raw.WrittenSpan;
        var body = LogFrame.HeaderSize + _leaves.WrittenCount;
        var needed = body + FrameCompression.MaxCompressedLength(raw.Length) + LogFrame.ChecksumSize;
        if (_frame.Length < Math.Max(needed, exactLength ?? 0))
        {
            _frame = new byte[Math.Max(needed, exactLength ?? 0)];
        }
        var payload = _frame.AsSpan(body, _frame.Length - body - LogFrame.ChecksumSize);
        var room = exactLength is { } place ? place - body - LogFrame.ChecksumSize : int.MaxValue;
        var (flags, stored) = FrameCompression.Compress(_compressor, raw, payload, room);
        var length = body + stored + LogFrame.ChecksumSize;
        if (exactLength is { } exact)
        {
            if (length > exact)
            {
                throw new InvalidOperationException($"The rewritten frame at index {_firstIndex} needs {length} bytes but its place holds {exact}.");
            }
            _frame.AsSpan(length - LogFrame.ChecksumSize, exact - length + LogFrame.ChecksumSize).Clear();
            length = exact;
        }
        var frame = _frame.AsSpan(0, length);
        LogFrame.WriteHeader(frame, LogFrame.EntriesType, flags, length, _lengths.Count, _firstIndex, stored, raw.Length);
        _leaves.WrittenSpan.CopyTo(frame[LogFrame.HeaderSize..]);
        LogFrame.WriteChecksum(frame);
        return frame;
    }

    public void Dispose() => _compressor.Dispose();
}
