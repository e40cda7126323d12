using System.Globalization;

namespace Proctor.Mcp.Sessions.Replay;

/// <summary>
/// SSE event ids of a session's streams: <c>{stream}-{event}</c>, both decimal. Event numbers count across the whole
/// session, so an id is unique across all its streams, and it names its stream, so a <c>Last-Event-ID</c> finds the
/// stream to resume (Streamable HTTP 2025-11-25, "Resumability and Redelivery"). Ids are not secrets: the session's
/// owner check guards every resume.
/// </summary>
internal static class EventIds
{
    public static string Format(int stream, long number) =>
        string.Create(CultureInfo.InvariantCulture, $"{stream}-{number}");

    public static bool TryParse(string text, out int stream, out long number)
    {
        stream = 0;
        number = 0;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return dash > 0
            && int.TryParse(text.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out stream)
            && long.TryParse(text.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
