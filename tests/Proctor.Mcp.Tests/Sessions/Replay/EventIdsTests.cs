using Proctor.Mcp.Sessions.Replay;

namespace Proctor.Mcp.Tests.Sessions.Replay;

public sealed class EventIdsTests
{
    [Theory]
    [InlineData(1L, 1, 1L, "1-1-1")]
    [InlineData(42L, 7, 1000L, "42-7-1000")]
    [InlineData(long.MaxValue, int.MaxValue, long.MaxValue, "9223372036854775807-2147483647-9223372036854775807")]
    public void Format_ThenTryParse_RoundTrips(long log, int stream, long number, string expected)
    {
        var id = EventIds.Format(log, stream, number);

        Assert.Equal(expected, id);
        Assert.True(EventIds.TryParse(id, out var parsedLog, out var parsedStream, out var parsedNumber));
        Assert.Equal((log, stream, number), (parsedLog, parsedStream, parsedNumber));
    }

    /// <summary>What a hostile or confused client may put in <c>Last-Event-ID</c>: each refused, none throws.</summary>
    public static TheoryData<string> Malformed() =>
    [
        "", " ", "-", "--", "---", "1", "1-2", "1-2-", "-1-2", "1--2", "1-2--3", "1-2-3-4", "1-2-3-",
        " 1-2-3", "1-2-3 ", "1 -2-3", "1-2-3\n", "1-2-3\0", "+1-2-3", "1-+2-3", "1-2-+3", "1--2-3",
        "a-2-3", "1-b-3", "1-2-c", "0x1-2-3", "1.0-2-3", "1e3-2-3", "1,000-2-3",
        "\u0661-\u0662-\u0663", "\uff11-\uff12-\uff13", "1\u20132\u20133",
        "1-2147483648-1", "9223372036854775808-1-1", "1-1-9223372036854775808",
        new string('9', 10_000) + "-1-1", "1-1-" + new string('1', 100_000), string.Concat(Enumerable.Repeat("1-", 5_000)) + "1",
    ];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryParse_MalformedId_Refused(string text)
    {
        Assert.False(EventIds.TryParse(text, out _, out _, out _));
    }

    [Theory]
    [InlineData("0-0-0")]
    [InlineData("007-1-2")]
    [InlineData("1-2147483647-1")]
    public void TryParse_DigitsOnlyWithinRange_Accepted(string text)
    {
        // Hard negatives beside the malformed ones: the syntax is accepted, whether the id was issued is the log's question.
        Assert.True(EventIds.TryParse(text, out _, out _, out _));
    }
}
