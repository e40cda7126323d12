using Proctor.Storage.Sqlite.Ledger.Index;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Index;

/// <summary>The index's packed rows give back exactly what went in, whatever the ids look like; and its id order is SQLite's.</summary>
public class EventPackingTests
{
    private static readonly string[] Ids =
    [
        "0193a0b4-0000-7000-8000-000000000001", // what EventIds.New makes: 16 bytes
        "0193A0B4-0000-7000-8000-000000000001", // upper case would not round-trip through 16 bytes: kept as text
        "{0193a0b4-0000-7000-8000-000000000001}", "not-a-uuid", "", "id-é-😀",
    ];

    [Fact]
    public void Unpack_EveryIdShapeKindAndTime_RoundTrips()
    {
        var random = new Random(35);
        var events = Enumerable.Range(0, 200).Select(i => new IndexedEvent(
            1_000 + i * random.Next(1, 5_000), Ids[i % Ids.Length], i % 3 == 0 ? "call.request" : "ledger.purge", 1_700_000_000_000 + random.Next(0, 1_000_000),
            "s", "alice", "bank") { Purged = i % 5 == 0 }).ToList();
        var first = events.Min(e => e.Index);
        var firstMs = events.Min(e => e.TimeMs);

        var unpacked = EventPacking.Unpack(EventPacking.Pack(events, first, firstMs), first, firstMs, "s", "alice", "bank");

        Assert.Equal(events, unpacked);
    }

    [Fact]
    public void CodePointOrder_AgreesWithUtf8ByteOrder_WhereOrdinalDoesNot()
    {
        string[] texts = ["a", "b", "é", "\uFF5E", "😀", "\uE000", "z\uD7FF", ""];
        foreach (var x in texts)
        {
            foreach (var y in texts)
            {
                var bytes = System.Text.Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(System.Text.Encoding.UTF8.GetBytes(y));
                Assert.Equal(Math.Sign(bytes), Math.Sign(CodePointOrder.Instance.Compare(x, y)));
            }
        }
        Assert.True(string.CompareOrdinal("😀", "\uFF5E") < 0); // the case ordinal order gets wrong
    }
}
