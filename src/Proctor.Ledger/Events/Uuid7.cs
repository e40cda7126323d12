using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Proctor.Ledger.Events;

/// <summary>
/// UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits. The same layout as
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/>, whose random bits cost one read of <c>/dev/urandom</c> per id
/// here (1.5–2.4 µs, three ids per call); these come from a per-thread block of 4 KiB drawn from the same source at
/// once (0.04 µs per id; docs/PERFORMANCE.md, "Issue 13 on 2026-12-04 (second stop)"). The ids identify; they are not
/// secrets: session ids and keys keep drawing their own random bytes.
/// </summary>
public static class Uuid7
{
    private const int RandomBytes = 10;
    private const int BlockBytes = 4_096;

    [ThreadStatic]
    private static byte[]? t_block;

    [ThreadStatic]
    private static int t_used;

    public static Guid New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteInt64BigEndian(bytes, now.ToUnixTimeMilliseconds() << 16);
        TakeRandom(bytes[6..]);
        bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F)); // version 7
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F)); // variant 10
        return new Guid(bytes, bigEndian: true);
    }

    private static void TakeRandom(Span<byte> destination)
    {
        var block = t_block;
        if (block is null || t_used + RandomBytes > BlockBytes)
        {
            block = t_block ??= new byte[BlockBytes];
            RandomNumberGenerator.Fill(block);
            t_used = 0;
        }
        block.AsSpan(t_used, RandomBytes).CopyTo(destination);
        t_used += RandomBytes;
    }
}
