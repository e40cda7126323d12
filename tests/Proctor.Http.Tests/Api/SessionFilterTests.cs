using Microsoft.AspNetCore.Http;
using Proctor.Http.Api;

namespace Proctor.Http.Tests.Api;

public sealed class SessionFilterTests
{
    [Fact]
    public void Parse_EveryFilter_BecomesTheQuery()
    {
        var (query, problem) = SessionFilter.Parse(Query("?identity=alice&server=bank&since=2026-11-01&until=2026-11-02T09:00%2B01:00&limit=5"));

        Assert.Null(problem);
        Assert.Equal("alice", query!.Subject);
        Assert.Equal("bank", query.Server);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), query.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero), query.To!.Value.ToUniversalTime());
        Assert.Equal(5, query.Limit);
    }

    [Fact]
    public void Parse_Nothing_IsEverySessionUpToTheDefaultLimit()
    {
        var (query, _) = SessionFilter.Parse(Query(""));

        Assert.Equal((null, null, null, null, 100), (query!.Subject, query.Server, query.From, query.To, query.Limit));
    }

    [Theory]
    [InlineData("?since=last-week", "'since' ('last-week') is not a time; use e.g. 2026-11-01 or 2026-11-01T09:00Z (UTC unless an offset is given).")]
    [InlineData("?until=tomorrow", "'until' ('tomorrow') is not a time; use e.g. 2026-11-01 or 2026-11-01T09:00Z (UTC unless an offset is given).")]
    [InlineData("?limit=1001", "'limit' ('1001') must be a whole number from 1 to 1000.")]
    [InlineData("?limit=-1", "'limit' ('-1') must be a whole number from 1 to 1000.")]
    [InlineData("?limit=ten", "'limit' ('ten') must be a whole number from 1 to 1000.")]
    [InlineData("?user=alice", "'user' is not a filter of /api/sessions; use identity, server, since, until, limit.")]
    [InlineData("?identity=alice&identity=bob", "'identity' is given more than once; give each filter at most once.")]
    public void Parse_BadFilter_NamesTheParameter(string text, string expected)
    {
        var (query, problem) = SessionFilter.Parse(Query(text));

        Assert.Null(query);
        Assert.Equal(expected, problem);
    }

    private static QueryCollection Query(string text) => new(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(text));
}
