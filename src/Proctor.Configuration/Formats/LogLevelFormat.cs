namespace Proctor.Configuration.Formats;

/// <summary>The level names of Microsoft.Extensions.Logging, less <c>None</c>: an audit gateway always logs.</summary>
internal static class LogLevelFormat
{
    public static readonly string[] Levels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical"];

    public static bool TryParse(string text, out string level, out string? problem)
    {
        problem = null;
        level = Levels.FirstOrDefault(candidate => candidate.Equals(text, StringComparison.OrdinalIgnoreCase)) ?? "";
        if (level.Length > 0)
        {
            return true;
        }

        var closest = Reading.KeySuggestion.Closest(text, Levels);
        problem = closest is null
            ? $"{DisplayText.Quote(text)} is not a log level; use one of {string.Join(", ", Levels)}"
            : $"{DisplayText.Quote(text)} is not a log level; did you mean \"{closest}\"? (one of {string.Join(", ", Levels)})";
        return false;
    }
}
