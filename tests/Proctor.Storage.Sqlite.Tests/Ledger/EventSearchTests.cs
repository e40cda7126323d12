using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Storage.Sqlite.Tests.Ledger;

public class EventSearchTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Index → (identity, server, tool, outcome); event n happens n minutes after <see cref="Start"/>.</summary>
    private static readonly (string Subject, string Server, string Tool, string Outcome)[] Arranged =
    [
        ("alice", "bank", "search_customers", "ok"),
        ("bob", "bank", "search_customers", "error"),
        ("alice", "cards", "close_account", "ok"),
        ("alice", "bank", "close_account", "refused"),
        ("bob", "cards", "close_account", "error"),
        ("alice", "bank", "search_customers", "error"),
    ];

    public static TheoryData<EventSearch, long[]> Filters => new()
    {
        { new EventSearch(), [5, 4, 3, 2, 1, 0] },
        { new EventSearch { Subject = "alice" }, [5, 3, 2, 0] },
        { new EventSearch { Server = "cards" }, [4, 2] },
        { new EventSearch { Tool = "close_account" }, [4, 3, 2] },
        { new EventSearch { Outcome = "error" }, [5, 4, 1] },
        { new EventSearch { From = Start.AddMinutes(2), To = Start.AddMinutes(4) }, [3, 2] },
        { new EventSearch { Subject = "alice", Tool = "search_customers", Outcome = "error" }, [5] },
        { new EventSearch { Server = "bank", Outcome = "error", To = Start.AddMinutes(5) }, [1] },
        { new EventSearch { Subject = "bob", Server = "cards", Tool = "close_account", Outcome = "error", From = Start.AddMinutes(4) }, [4] },
        // Hard negatives: exact matches only, no prefixes, no case folding, an empty period.
        { new EventSearch { Tool = "search" }, [] },
        { new EventSearch { Tool = "Search_Customers" }, [] },
        { new EventSearch { Outcome = "OK" }, [] },
        { new EventSearch { Subject = "Alice" }, [] },
        { new EventSearch { Subject = "bob", Outcome = "refused" }, [] },
        { new EventSearch { From = Start.AddMinutes(3), To = Start.AddMinutes(3) }, [] },
        { new EventSearch { Before = 0 }, [] },
        { new EventSearch { Before = 3, Outcome = "error" }, [1] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Search_Filters_ReturnExactlyTheMatchingEventsNewestFirst(EventSearch search, long[] expected)
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        for (var n = 0; n < Arranged.Length; n++)
        {
            await fixture.Ledger.AppendAsync(Arrange(n, Arranged[n]));
        }

        var page = await fixture.Store.SearchEventsAsync(search, default);

        Assert.Equal(expected, page.Events.Select(e => e.Index));
        Assert.Null(page.Next);
        Assert.All(page.Events, e => Assert.NotNull(e.Parse()));
    }

    [Theory]
    [InlineData(null, 25, 10)]
    [InlineData("close_account", 9, 4)]
    public async Task Search_Paged_VisitsEveryMatchOnceNewestFirst(string? tool, int matches, int limit)
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        for (var n = 0; n < 25; n++)
        {
            await fixture.Ledger.AppendAsync(Arrange(n, ("alice", "bank", n % 3 == 0 ? "close_account" : "search_customers", "ok")));
        }

        var seen = new List<long>();
        long? cursor = null;
        var pages = 0;
        do
        {
            var page = await fixture.Store.SearchEventsAsync(new EventSearch { Tool = tool, Before = cursor, Limit = limit }, default);
            Assert.True(page.Events.Count <= limit);
            seen.AddRange(page.Events.Select(e => e.Index));
            cursor = page.Next;
            Assert.True(++pages <= matches, "the cursor must move on every page");
        }
        while (cursor is not null);

        Assert.Equal(matches, seen.Count);
        Assert.Equal(seen.OrderDescending(), seen);
        Assert.Equal(seen.Distinct(), seen);
        Assert.All(seen, index => Assert.True(tool is null || index % 3 == 0));
    }

    [Fact]
    public async Task Search_PurgedEvents_NeverMatchToolOrOutcome()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        var purger = await fixture.ArrangeHeldAndOldEventsAsync();
        await purger.PurgeAsync(DateTimeOffset.UtcNow.AddDays(-365), LedgerFixture.RecordsOfficer, default);

        var byTool = await fixture.Store.SearchEventsAsync(new EventSearch { Tool = "search_customers" }, default);

        Assert.NotEmpty(byTool.Events);
        Assert.All(byTool.Events, e => Assert.NotNull(e.CanonicalEvent));
        var all = await fixture.Store.SearchEventsAsync(new EventSearch(), default);
        Assert.Contains(all.Events, e => e.CanonicalEvent is null);
    }

    [Fact]
    public async Task Search_ARareToolBeyondTheReadBound_ComesOnALaterPage_AfterAnEmptyOneWithACursor()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        // One session, so a few index rows hold them all and the page stops at the bound on events read from the log.
        await fixture.Ledger.AppendAsync(InOneSession(Arrange(0, ("alice", "bank", "needle", "ok"))));
        await Task.WhenAll(Enumerable.Range(1, 5_300).Select(n => fixture.Ledger.AppendAsync(InOneSession(Arrange(n, ("alice", "bank", "search_customers", "ok"))))));

        var first = await fixture.Store.SearchEventsAsync(new EventSearch { Tool = "needle", Limit = 10 }, default);
        var second = await fixture.Store.SearchEventsAsync(new EventSearch { Tool = "needle", Limit = 10, Before = first.Next }, default);

        Assert.Empty(first.Events);
        Assert.NotNull(first.Next);
        Assert.Equal(0L, Assert.Single(second.Events).Index);
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task Search_MoreSessionsThanTheRowBound_PagesThroughEveryEventOnce()
    {
        await using var fixture = await LedgerFixture.CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 1_200).Select(n => fixture.Ledger.AppendAsync(Arrange(n, ("alice", "bank", "search_customers", "ok")))));

        var seen = new List<long>();
        long? cursor = null;
        var pages = 0;
        do
        {
            var page = await fixture.Store.SearchEventsAsync(new EventSearch { Subject = "alice", Before = cursor, Limit = 1_000 }, default);
            seen.AddRange(page.Events.Select(e => e.Index));
            cursor = page.Next;
            Assert.True(++pages <= 5, "the cursor must move on every page");
        }
        while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 1_200).Select(i => (long)i).Reverse(), seen);
        Assert.True(pages >= 2, "1,200 sessions are more rows than one page reads");
    }

    private static LedgerEvent InOneSession(LedgerEvent e) => e with { Location = e.Location! with { SessionId = "one" } };

    private static LedgerEvent Arrange(int n, (string Subject, string Server, string Tool, string Outcome) a)
    {
        var e = LedgerFixture.Event(n, session: $"s-{n}", subject: a.Subject, time: Start.AddMinutes(n));
        return e with
        {
            Location = e.Location! with { Server = a.Server },
            Action = e.Action! with { Name = a.Tool },
            Outcome = new EventOutcome { Status = a.Outcome },
        };
    }
}
