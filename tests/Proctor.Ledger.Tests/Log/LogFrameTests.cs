using System.Text;
using Proctor.Ledger.Events;
using Proctor.Ledger.Log;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Tests.Log;

/// <summary>The log's published record format: what a frame holds, that its leaves are the entries' own, and what is not a frame.</summary>
public class LogFrameTests
{
    private static byte[] Canonical(int n) => EventJson.Canonical(new LedgerEvent
    {
        Id = $"0193a0b4-0000-7000-8000-{n:000000000000}",
        Kind = EventKinds.CallRequest,
        Time = new DateTimeOffset(2026, 11, 24, 17, 28, 52, n % 1000, TimeSpan.Zero),
        CallId = $"call-{n}",
        Action = new EventAction { Method = "tools/call", Name = "search", Arguments = System.Text.Json.JsonElement.Parse($$"""{"query":"customer {{n}}","limit":{{n % 7}}}""") },
    });

    [Theory]
    [InlineData(1)]
    [InlineData(32)]
    [InlineData(500)]
    public void Finish_Events_HoldTheSealedEntriesAndTheirLeafHashes(int count)
    {
        using var builder = new FrameBuilder();
        builder.Begin(1_000);
        var leaves = Enumerable.Range(0, count).Select(i => builder.AddEvent(Canonical(i))).ToList();
        var frame = builder.Finish().ToArray();

        var header = LogFrame.ReadHeader(frame)!.Value;
        Assert.True(LogFrame.HasValidChecksum(frame));
        Assert.Equal((LogFrame.EntriesType, frame.Length, count, 1_000L), (header.Type, header.Length, header.Count, header.FirstIndex));
        var entries = LogFrame.ReadEntries(frame, header);
        for (var i = 0; i < count; i++)
        {
            var expected = LedgerEntry.Seal(1_000 + i, Canonical(i)); // the reference every verifier recomputes
            Assert.Equal(expected.Bytes, entries[i]);
            Assert.Equal(expected.LeafHash, leaves[i]);
            Assert.Equal(expected.LeafHash, LogFrame.LeafHash(frame, i).ToArray());
        }
    }

    [Fact]
    public void Finish_ManySimilarEvents_IsCompressed_AndRandomBytesAreStoredAsTheyAre()
    {
        using var builder = new FrameBuilder();
        builder.Begin(0);
        for (var i = 0; i < 32; i++)
        {
            builder.AddEvent(Canonical(i));
        }
        var similar = LogFrame.ReadHeader(builder.Finish())!.Value;

        var noise = new byte[4_000];
        new Random(5).NextBytes(noise);
        builder.Begin(0);
        builder.AddSealed(noise, new byte[32], purged: false);
        var random = builder.Finish().ToArray();
        var header = LogFrame.ReadHeader(random)!.Value;

        Assert.Equal(LogFrame.CompressedFlag, similar.Flags);
        Assert.True(similar.StoredPayloadLength * 5 < similar.RawPayloadLength, $"{similar.StoredPayloadLength} of {similar.RawPayloadLength} bytes");
        Assert.Equal(0, header.Flags);
        Assert.Equal(noise, LogFrame.ReadEntries(random, header)[0]);
    }

    [Fact]
    public void Finish_ExactLength_PadsWithZerosAndKeepsAValidChecksum_OrRefusesWhatDoesNotFit()
    {
        using var builder = new FrameBuilder();
        builder.Begin(7);
        builder.AddEvent(Canonical(7));
        var original = builder.Finish().Length;
        builder.Begin(7);
        builder.AddSealed(default, new byte[32], purged: true);

        var padded = builder.Finish(original).ToArray();

        Assert.Equal(original, padded.Length);
        Assert.True(LogFrame.HasValidChecksum(padded));
        Assert.Null(LogFrame.ReadEntries(padded, LogFrame.ReadHeader(padded)!.Value)[0]);
        builder.Begin(7);
        builder.AddEvent(Canonical(7));
        Assert.Throws<InvalidOperationException>(() => builder.Finish(LogFrame.SealSize).ToArray());
    }

    [Fact]
    public void ReadHeader_ZerosGarbageAndImpossibleFields_IsNull_ButASealIsRead()
    {
        using var builder = new FrameBuilder();
        builder.Begin(3);
        builder.AddEvent(Canonical(3));
        var frame = builder.Finish().ToArray();
        var seal = new byte[LogFrame.SealSize];
        LogFrame.WriteSeal(seal, 42);

        Assert.Equal((LogFrame.SealType, 42L), (LogFrame.ReadHeader(seal)!.Value.Type, LogFrame.ReadHeader(seal)!.Value.FirstIndex));
        Assert.True(LogFrame.HasValidChecksum(seal));
        Assert.Null(LogFrame.ReadHeader(new byte[64]));
        Assert.Null(LogFrame.ReadHeader(Encoding.ASCII.GetBytes("PLOG but not a header, just text")));
        foreach (var (offset, value) in new[] { (0, 0x51), (4, 9), (6, 2), (8, 0), (12, 0), (12, 0x7F), (16 + 7, 0x80), (24, 0xFF), (27, 0x7F) })
        {
            var edited = (byte[])frame.Clone();
            edited[offset] = (byte)value;
            Assert.True(LogFrame.ReadHeader(edited) is null || !LogFrame.HasValidChecksum(edited.AsSpan(0, Math.Min(edited.Length, LogFrame.ReadHeader(edited)!.Value.Length))),
                $"byte {offset} set to {value} still reads as a valid frame");
        }
    }

    [Fact]
    public void Crc32C_CheckValue_IsTheCastagnoliOne()
    {
        // The standard check value of CRC-32C (RFC 3720, B.4): the CRC of the ASCII digits 1 to 9.
        Assert.Equal(0xE3069283u, LogFrame.Crc32C("123456789"u8));
    }
}
