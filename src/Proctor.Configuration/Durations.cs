using Proctor.Configuration.Formats;

namespace Proctor.Configuration;

/// <summary>Durations as the configuration writes them (<c>30m</c>, <c>1h</c>, <c>1h30m</c>), for command-line options that take one.</summary>
public static class Durations
{
    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong and what works.</summary>
    public static bool TryParse(string text, string example, out TimeSpan value, out string? problem) => DurationFormat.TryParse(text, example, out value, out problem);
}
