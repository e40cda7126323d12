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

        Assert.Equal(FrameCompression.Zstandard, similar.Flags);
        Assert.True(similar.StoredPayloadLength * 5 < similar.RawPayloadLength, $"{similar.StoredPayloadLength} of {similar.RawPayloadLength} bytes");
        Assert.Equal(FrameCompression.None, header.Flags);
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
    public void ReadEntries_AFrameWrittenWithBrotliBeforeZstandard_ReadsAsWritten()
    {
        // Recorded from the frame builder at 4d0eb4f (Brotli quality 1): entries 40-47 of Canonical(n), 41 purged.
        var frame = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Log", "Frames", "brotli-frame-v1.bin"));
        var header = LogFrame.ReadHeader(frame)!.Value;

        var entries = LogFrame.ReadEntries(frame, header);

        Assert.True(LogFrame.HasValidChecksum(frame));
        Assert.Equal((FrameCompression.Brotli, 8, 40L), (header.Flags, header.Count, header.FirstIndex));
        for (var i = 0; i < header.Count; i++)
        {
            var expected = LedgerEntry.Seal(40 + i, Canonical(40 + i));
            Assert.Equal(i == 1 ? null : expected.Bytes, entries[i]);
            Assert.Equal(expected.LeafHash, LogFrame.LeafHash(frame, i).ToArray());
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void ReadEntries_ACodecThisVersionDoesNotKnow_IsRefusedByName(byte flags)
    {
        var frame = FrameOf(Enumerable.Range(0, 8).Select(Canonical));
        frame[5] = flags;
        LogFrame.WriteChecksum(frame);

        var refused = Assert.Throws<InvalidDataException>(() => LogFrame.ReadEntries(frame, LogFrame.ReadHeader(frame)!.Value));

        Assert.Contains($"flags 0x{flags:x2}", refused.Message);
    }

    [Fact]
    public void ReadEntries_APayloadThatDoesNotDecodeToItsRecordedLength_IsRefused_WhateverTheCodec()
    {
        var zstandard = FrameOf(Enumerable.Range(0, 8).Select(Canonical));
        var brotli = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Log", "Frames", "brotli-frame-v1.bin"));
        foreach (var original in new[] { zstandard, brotli })
        {
            var header = LogFrame.ReadHeader(original)!.Value;
            var payloadAt = LogFrame.HeaderSize + LogFrame.LeafSize * header.Count;
            var cases = new List<(string What, byte[] Frame)>();
            foreach (var claimed in new[] { header.RawPayloadLength - 1, header.RawPayloadLength + 1, header.RawPayloadLength * 2 })
            {
                var edited = (byte[])original.Clone();
                System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(edited.AsSpan(28), claimed);
                cases.Add(($"raw length {claimed} of {header.RawPayloadLength}", edited));
            }
            for (var cut = 1; cut < header.StoredPayloadLength; cut += Math.Max(1, header.StoredPayloadLength / 40))
            {
                var edited = (byte[])original.Clone();
                edited.AsSpan(payloadAt + header.StoredPayloadLength - cut, cut).Clear(); // the payload's tail lost
                cases.Add(($"last {cut} payload bytes zeroed", edited));
            }
            foreach (var (what, edited) in cases)
            {
                LogFrame.WriteChecksum(edited);
                var read = LogFrame.ReadHeader(edited);
                Assert.True(read is not null, what);
                Assert.Throws<InvalidDataException>(() => LogFrame.ReadEntries(edited, read.Value));
            }
        }
    }

    [Fact]
    public void Finish_ExactLength_WhereOnlyBrotliFits_WritesBrotli_AndNothingFitsIsRefused()
    {
        // Base64 of random bytes: Brotli's framing is a few bytes smaller than Zstandard's here, as for an older frame
        // rewritten in place whose payload barely compresses.
        var noise = new byte[1_000];
        new Random(1_000).NextBytes(noise);
        var entry = Encoding.ASCII.GetBytes(Convert.ToBase64String(noise));
        var raw = entry.Concat(BitConverter.GetBytes(entry.Length)).ToArray();
        var payload = new byte[FrameCompression.MaxCompressedLength(raw.Length)];
        using var compressor = FrameCompression.NewCompressor();
        var (_, zstandard) = FrameCompression.Compress(compressor, raw, payload, int.MaxValue);
        var (codec, brotli) = FrameCompression.Compress(compressor, raw, payload, zstandard - 1);
        Assert.True(codec == FrameCompression.Brotli, $"codec {codec} in {brotli} bytes where Zstandard took {zstandard}: the case needs Brotli smaller");
        var brotliFrameLength = LogFrame.HeaderSize + LogFrame.LeafSize + brotli + LogFrame.ChecksumSize;

        using var builder = new FrameBuilder();
        builder.Begin(9);
        builder.AddSealed(entry, new byte[32], purged: false);
        var rewritten = builder.Finish(brotliFrameLength).ToArray();
        var header = LogFrame.ReadHeader(rewritten)!.Value;

        Assert.Equal((FrameCompression.Brotli, brotliFrameLength), (header.Flags, rewritten.Length));
        Assert.Equal(entry, LogFrame.ReadEntries(rewritten, header)[0]);
        builder.Begin(9);
        builder.AddSealed(entry, new byte[32], purged: false);
        Assert.Throws<InvalidOperationException>(() => builder.Finish(brotliFrameLength - 1).ToArray());
        builder.Begin(9);
        builder.AddSealed(entry, new byte[32], purged: false);
        Assert.Equal(FrameCompression.Zstandard, LogFrame.ReadHeader(builder.Finish(brotliFrameLength + zstandard - brotli))!.Value.Flags);
    }

    private static byte[] FrameOf(IEnumerable<byte[]> events)
    {
        using var builder = new FrameBuilder();
        builder.Begin(0);
        foreach (var canonical in events)
        {
            builder.AddEvent(canonical);
        }
        return builder.Finish().ToArray();
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
