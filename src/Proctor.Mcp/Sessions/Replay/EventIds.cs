using System.Globalization;

namespace Proctor.Mcp.Sessions.Replay;

/// <summary>
/// SSE event ids of a session's streams: <c>{log}-{stream}-{event}</c>, all decimal. The log number differs per
/// session, so an id another session issued is refused rather than read as this session's; event numbers count
/// across the whole session, so an id is unique across all its streams; and it names its stream, so a
/// <c>Last-Event-ID</c> finds the stream to resume (Streamable HTTP 2025-11-25, "Resumability and Redelivery").
/// Ids are not secrets: the session's owner check guards every resume.
/// </summary>
internal static class EventIds
{
    /// <summary>Two longs and an int in decimal, with their separators.</summary>
    private const int MaxLength = 19 + 1 + 10 + 1 + 19;

    private static readonly System.Buffers.SearchValues<char> IdCharacters = System.Buffers.SearchValues.Create("0123456789-");

    public static string Format(long log, int stream, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{log}-{stream}-{number}");

    /// <summary>Only what <see cref="Format"/> writes: three runs of ASCII digits that fit, no signs, spaces or other separators.</summary>
    public static bool TryParse(string text, out long log, out int stream, out long number)
    {
        log = 0;
        stream = 0;
        number = 0;
        var span = text.AsSpan();
        if (span.Length > MaxLength || span.ContainsAnyExcept(IdCharacters))
        {
            return false; // also what the number parser would forgive: trailing NULs, white space
        }

        var first = span.IndexOf('-');
        if (first <= 0)
        {
            return false;
        }

        var rest = span[(first + 1)..];
        var second = rest.IndexOf('-');
        return second > 0
            && long.TryParse(span[..first], NumberStyles.None, CultureInfo.InvariantCulture, out log)
            && int.TryParse(rest[..second], NumberStyles.None, CultureInfo.InvariantCulture, out stream)
            && long.TryParse(rest[(second + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
