using System.Text.Json;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Storage.Sqlite.Tests.Ledger.Log;

/// <summary>
/// Frames from a few bytes to larger than the scanner's 1 MiB read-ahead window, read back from every index on, one at
/// a time and to the end, by a store that remembers where it read last and by one that does not.
/// </summary>
public class ReadWindowTests
{
    private static readonly int[] PayloadBytes = [40, 30_000, 70_000, 150_000, 300_000, 700_000, 1_300_000];

    public static TheoryData<int> Seeds => [1, 2, 3];

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ReadEntries_FramesOfEverySizeAroundTheWindow_AreReadBackWhole_FromEveryIndex(int seed)
    {
        var random = new Random(seed);
        await using var fixture = await LedgerFixture.CreateAsync();
        var markers = new List<string>();
        for (var i = 0; i < 14; i++)
        {
            // Random letters do not compress much, so the stored frame is about as large as the payload.
            var size = PayloadBytes[random.Next(PayloadBytes.Length)];
            var marker = $"m{i}-{new string([.. Enumerable.Range(0, size).Select(_ => (char)('a' + random.Next(26)))])}";
            markers.Add(marker);
            await fixture.Ledger.AppendAsync(LedgerFixture.Event(i) with
            {
                Action = new EventAction { Method = "tools/call", Name = "bulk", Arguments = JsonSerializer.SerializeToElement(new { marker }) },
            });
        }

        await AssertReadsBackAsync(fixture.Store, markers);
        Assert.Null((await fixture.VerifyAsync()).Problem);

        // A second process's store: no reading position remembered, so it finds frames from the query index or the segment's start.
        await fixture.Store.DisposeAsync();
        await using var reopened = await SqliteLedgerStore.OpenAsync(fixture.DatabasePath);
        await AssertReadsBackAsync(reopened, markers);
    }

    private static async Task AssertReadsBackAsync(IEntryStore store, List<string> markers)
    {
        for (var start = 0; start < markers.Count; start++)
        {
            var one = await store.ReadEntriesAsync(start, 1, default);
            Assert.Equal(markers[start], MarkerOf(Assert.Single(one), start));

            var rest = await store.ReadEntriesAsync(start, markers.Count, default);
            Assert.Equal(markers.Count - start, rest.Count);
            for (var i = 0; i < rest.Count; i++)
            {
                Assert.Equal(markers[start + i], MarkerOf(rest[i], start + i));
            }
        }
    }

    private static string MarkerOf(LedgerEntry entry, long index)
    {
        Assert.Equal(index, entry.Index);
        var stored = EventJson.Parse(LedgerEntry.EventOf(entry.Bytes!).Span);
        return stored.Action!.Arguments!.Value.GetProperty("marker").GetString()!;
    }
}
