using System.Buffers;
using System.Text;

namespace Proctor.Storage.Sqlite.Ledger.Index;

/// <summary>
/// The events of one index row, packed: per event its index and time as deltas, a purged flag, its kind, and its id
/// (16 bytes when it is a UUID in canonical text, as every <c>EventIds.New</c> id is). About 35 bytes an event, against
/// a row and four B-tree entries per event before (docs/decisions/0020-ledger-log-and-index.md).
/// </summary>
internal static class EventPacking
{
    private const byte PurgedFlag = 1;

    public static byte[] Pack(IReadOnlyList<IndexedEvent> events, long firstIndex, long firstMs)
    {
        var output = new ArrayBufferWriter<byte>(events.Count * 40);
        Span<byte> uuid = stackalloc byte[16];
        foreach (var e in events)
        {
            WriteVarint(output, (ulong)(e.Index - firstIndex));
            WriteVarint(output, (ulong)(e.TimeMs - firstMs));
            WriteByte(output, e.Purged ? PurgedFlag : (byte)0);
            WriteText(output, e.Kind);
            if (IsCanonicalUuid(e.EventId) && Guid.TryParseExact(e.EventId, "D", out var guid) && guid.TryWriteBytes(uuid, bigEndian: true, out _))
            {
                WriteVarint(output, 0);
                Write(output, uuid);
            }
            else
            {
                var bytes = Encoding.UTF8.GetBytes(e.EventId);
                WriteVarint(output, (ulong)bytes.Length + 1);
                Write(output, bytes);
            }
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The row's events; the row's own columns (session, subject, server) are shared by all of them.</summary>
    public static List<IndexedEvent> Unpack(ReadOnlySpan<byte> packed, long firstIndex, long firstMs, string? sessionId, string? subject, string? server)
    {
        var events = new List<IndexedEvent>();
        var at = 0;
        while (at < packed.Length)
        {
            var index = firstIndex + (long)ReadVarint(packed, ref at);
            var time = firstMs + (long)ReadVarint(packed, ref at);
            var purged = (packed[at++] & PurgedFlag) != 0;
            var kind = ReadText(packed, ref at);
            var idLength = (int)ReadVarint(packed, ref at);
            string id;
            if (idLength == 0)
            {
                id = new Guid(packed.Slice(at, 16), bigEndian: true).ToString("D");
                at += 16;
            }
            else
            {
                id = Encoding.UTF8.GetString(packed.Slice(at, idLength - 1));
                at += idLength - 1;
            }
            events.Add(new IndexedEvent(index, id, kind, time, sessionId, subject, server) { Purged = purged });
        }
        return events;
    }

    /// <summary>
    /// The key a row's id range is kept in: the 16 bytes of a UUID in canonical text (so UUIDv7 keys sort by time), the
    /// UTF-8 bytes of any other id. Two ids may share a key; the range only picks rows, the ids in them decide.
    /// </summary>
    public static byte[] IdKey(string id)
    {
        if (IsCanonicalUuid(id) && Guid.TryParseExact(id, "D", out var guid))
        {
            return guid.ToByteArray(bigEndian: true);
        }
        return Encoding.UTF8.GetBytes(id);
    }

    /// <summary>Lower-case hex in 8-4-4-4-12 groups: the one text that round-trips through the 16 bytes exactly.</summary>
    private static bool IsCanonicalUuid(string id) =>
        id.Length == 36 && !id.AsSpan().ContainsAnyExcept("0123456789abcdef-") && id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-';

    private static void WriteText(ArrayBufferWriter<byte> output, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        WriteVarint(output, (ulong)bytes.Length);
        Write(output, bytes);
    }

    private static string ReadText(ReadOnlySpan<byte> packed, ref int at)
    {
        var length = (int)ReadVarint(packed, ref at);
        var text = Encoding.UTF8.GetString(packed.Slice(at, length));
        at += length;
        return text;
    }

    private static void WriteVarint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        output.Advance(n);
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> packed, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = packed[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }

    private static void WriteByte(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
