using System.Buffers.Binary;
using System.Numerics;

namespace Proctor.Ledger.Log;

/// <summary>
/// The ledger log's published on-disk record (docs/ledger.md, "On-disk format"). One frame holds one committed batch:
/// a 32-byte header, the leaf hash of every entry, the entries (compressed together when that is smaller), zero
/// padding, and a CRC-32C of everything before it. A frame is written in one piece and made durable with one
/// <c>fdatasync</c>; a frame whose checksum fails is torn (at the end of the log) or damaged (anywhere else).
/// </summary>
/// <remarks>
/// Header, little-endian: magic "PLOG", type (1 entries, 2 seal), flags (the payload's codec, <see cref="FrameCompression"/>), format version (1),
/// frame length, entry count, first index, stored payload length, raw payload length. The raw payload is the entry
/// bytes one after another followed by their lengths (u32 each; 0 for an entry whose payload was purged). Leaf hashes
/// stay outside the compressed payload so the tree can be rebuilt without decompressing anything.
/// </remarks>
public static class LogFrame
{
    public const int HeaderSize = 32;
    public const int ChecksumSize = 4;
    public const int LeafSize = 32;

    /// <summary>A seal: the last frame of a full segment, naming the index the next segment starts at.</summary>
    public const int SealSize = HeaderSize + ChecksumSize;

    public const byte EntriesType = 1;
    public const byte SealType = 2;
    private const ushort Version = 1;
    private const uint Magic = 0x474F_4C50; // "PLOG"

    /// <summary>No batch comes near this (the appender caps batches by bytes); a larger claimed length is damage, not data.</summary>
    public const int MaxFrameBytes = 1 << 30;

    /// <summary>The header's fields, or null when these bytes cannot be the start of a frame (zeros, garbage, a cut).</summary>
    public static FrameHeader? ReadHeader(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            return null;
        }
        var header = new FrameHeader(
            Type: bytes[4],
            Flags: bytes[5],
            Length: BinaryPrimitives.ReadInt32LittleEndian(bytes[8..]),
            Count: BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]),
            FirstIndex: BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]),
            StoredPayloadLength: BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]),
            RawPayloadLength: BinaryPrimitives.ReadInt32LittleEndian(bytes[28..]));
        var version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        var plausible = version == Version && header.FirstIndex >= 0 && header.Count >= 0 && header.StoredPayloadLength >= 0 && header.RawPayloadLength >= 0
            && header.Length is >= SealSize and <= MaxFrameBytes
            && (long)HeaderSize + (long)LeafSize * header.Count + header.StoredPayloadLength + ChecksumSize <= header.Length
            && header.Type switch
            {
                EntriesType => header.Count > 0 && header.RawPayloadLength >= 4L * header.Count,
                SealType => header.Count == 0 && header.Length == SealSize,
                _ => false,
            };
        return plausible ? header : null;
    }

    /// <summary>True when <paramref name="frame"/> (exactly the header's length) ends with the CRC-32C of the rest.</summary>
    public static bool HasValidChecksum(ReadOnlySpan<byte> frame) =>
        frame.Length >= SealSize && Crc32C(frame[..^ChecksumSize]) == BinaryPrimitives.ReadUInt32LittleEndian(frame[^ChecksumSize..]);

    /// <summary>The leaf hash of entry <paramref name="i"/> of a frame.</summary>
    public static ReadOnlySpan<byte> LeafHash(ReadOnlySpan<byte> frame, int i) => frame.Slice(HeaderSize + LeafSize * i, LeafSize);

    /// <summary>The entries' bytes, in order; null for an entry whose payload was purged. The frame's checksum must already hold.</summary>
    public static byte[]?[] ReadEntries(ReadOnlySpan<byte> frame, FrameHeader header)
    {
        var stored = frame.Slice(HeaderSize + LeafSize * header.Count, header.StoredPayloadLength);
        byte[]? rented = null;
        ReadOnlySpan<byte> raw = stored;
        try
        {
            if (header.Flags != FrameCompression.None)
            {
                rented = System.Buffers.ArrayPool<byte>.Shared.Rent(header.RawPayloadLength);
                try
                {
                    FrameCompression.Decompress(header.Flags, stored, rented.AsSpan(0, header.RawPayloadLength));
                }
                catch (InvalidDataException ex)
                {
                    throw new InvalidDataException($"The frame at index {header.FirstIndex}: {ex.Message}.", ex);
                }
                raw = rented.AsSpan(0, header.RawPayloadLength);
            }
            else if (header.StoredPayloadLength != header.RawPayloadLength)
            {
                throw new InvalidDataException($"The frame at index {header.FirstIndex} is uncompressed but its two payload lengths differ.");
            }
            return Split(raw, header);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static byte[]?[] Split(ReadOnlySpan<byte> raw, FrameHeader header)
    {
        var lengths = raw[^(4 * header.Count)..];
        var entries = new byte[]?[header.Count];
        var offset = 0;
        for (var i = 0; i < header.Count; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(lengths[(4 * i)..]);
            if (length < 0 || offset + length > raw.Length - lengths.Length)
            {
                throw new InvalidDataException($"The frame at index {header.FirstIndex} records an entry length that runs past its payload.");
            }
            entries[i] = length == 0 ? null : raw.Slice(offset, length).ToArray();
            offset += length;
        }
        return entries;
    }

    /// <summary>Writes a seal (<see cref="SealSize"/> bytes) saying the log continues at <paramref name="nextIndex"/> in the next segment.</summary>
    public static void WriteSeal(Span<byte> destination, long nextIndex)
    {
        WriteHeader(destination, SealType, 0, SealSize, 0, nextIndex, 0, 0);
        WriteChecksum(destination[..SealSize]);
    }

    internal static void WriteHeader(Span<byte> destination, byte type, byte flags, int length, int count, long firstIndex, int storedPayload, int rawPayload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, Magic);
        destination[4] = type;
        destination[5] = flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], Version);
        BinaryPrimitives.WriteInt32LittleEndian(destination[8..], length);
        BinaryPrimitives.WriteInt32LittleEndian(destination[12..], count);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], firstIndex);
        BinaryPrimitives.WriteInt32LittleEndian(destination[24..], storedPayload);
        BinaryPrimitives.WriteInt32LittleEndian(destination[28..], rawPayload);
    }

    /// <summary>Fills the last four bytes of <paramref name="frame"/> with the CRC-32C of the others.</summary>
    internal static void WriteChecksum(Span<byte> frame) =>
        BinaryPrimitives.WriteUInt32LittleEndian(frame[^ChecksumSize..], Crc32C(frame[..^ChecksumSize]));

    /// <summary>CRC-32C (Castagnoli, as iSCSI and ext4 use it), with the processor's CRC instruction where there is one.</summary>
    public static uint Crc32C(ReadOnlySpan<byte> data)
    {
        var crc = uint.MaxValue;
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }
        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }
        return ~crc;
    }
}

/// <summary>A frame header as read; see <see cref="LogFrame"/> for the layout.</summary>
public readonly record struct FrameHeader(byte Type, byte Flags, int Length, int Count, long FirstIndex, int StoredPayloadLength, int RawPayloadLength)
{
    public bool IsSeal => Type == LogFrame.SealType;

    /// <summary>One past the last index this frame holds; for a seal, the index the next segment starts at.</summary>
    public long EndIndex => FirstIndex + Count;
}
