using System.Buffers.Binary;
using System.Collections.Concurrent;
using Proctor.Ledger.Events;

namespace Proctor.Ledger.Tests.Events;

public class Uuid7Tests
{
    public static TheoryData<string> Instants => new()
    {
        "1970-01-01T00:00:00.000Z",
        "2026-12-04T17:05:09.123Z",
        "2999-12-31T23:59:59.999Z",
        "9999-12-31T23:59:59.999Z", // the last instant a DateTimeOffset holds
    };

    [Theory]
    [MemberData(nameof(Instants))]
    public void New_HasTheVersionVariantAndMillisecondsOfRfc9562_LikeTheRuntimes(string instant)
    {
        var now = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 1_000; i++)
        {
            var id = Uuid7.New(now);
            var reference = Guid.CreateVersion7(now);

            Assert.Equal(7, id.Version);
            Assert.Equal(reference.Version, id.Version);
            Assert.Equal(0b10, Variant(id));
            Assert.Equal(Variant(reference), Variant(id));
            Assert.Equal(Milliseconds(reference), Milliseconds(id));
            Assert.Equal(now.ToUnixTimeMilliseconds(), Milliseconds(id));
        }
    }

    [Fact]
    public void New_IdsOfOneMillisecond_AreDistinct_AcrossThreads_AndTheirRandomBitsVary()
    {
        var now = DateTimeOffset.UnixEpoch.AddYears(56);
        var ids = new ConcurrentBag<Guid>();

        // More ids per thread than one block of random bytes holds, so every thread refills several times.
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                ids.Add(Uuid7.New(now));
            }
        });

        Assert.Equal(40_000, ids.Distinct().Count());
        var randomBits = ids.Select(id => id.ToByteArray(bigEndian: true)[6..]).ToList();
        for (var bit = 0; bit < 80; bit++)
        {
            if (bit is >= 0 and < 4 or >= 16 and < 18)
            {
                continue; // version and variant: fixed
            }
            var ones = randomBits.Count(bytes => (bytes[bit / 8] & (0x80 >> (bit % 8))) != 0);
            Assert.InRange(ones, 19_000, 21_000); // 40,000 fair coin flips: ±10 standard deviations
        }
    }

    [Fact]
    public void New_SortsByTime_AsText()
    {
        var earlier = Uuid7.New(DateTimeOffset.UnixEpoch.AddMilliseconds(1_764_000_000_000)).ToString();
        var later = Uuid7.New(DateTimeOffset.UnixEpoch.AddMilliseconds(1_764_000_000_001)).ToString();

        Assert.True(string.CompareOrdinal(earlier, later) < 0, $"{earlier} should sort before {later}");
    }

    private static long Milliseconds(Guid id) => BinaryPrimitives.ReadInt64BigEndian(id.ToByteArray(bigEndian: true)) >>> 16;

    private static int Variant(Guid id) => id.ToByteArray(bigEndian: true)[8] >> 6;
}
