using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Proctor.Configuration.Formats;

/// <summary>
/// Durations are whole numbers with a unit, optionally chained: <c>500ms</c>, <c>30s</c>, <c>2m</c>,
/// <c>1h</c>, <c>1m30s</c>. A bare number is refused rather than guessed at.
/// </summary>
internal static partial class DurationFormat
{
    // Every duration here bounds a wait (a call, a back-off, a shutdown step); a day is beyond any
    // sensible one, and it keeps values far inside what Task.Delay and CancelAfter accept
    // (2^32 - 2 milliseconds, about 49.7 days).
    public static readonly TimeSpan Max = TimeSpan.FromHours(24);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> is the message (value, what is wrong, a value that works).</summary>
    public static bool TryParse(string text, string example, out TimeSpan value, out string? problem)
    {
        value = default;
        problem = null;
        var match = Syntax().Match(text);
        if (!match.Success)
        {
            problem = $"{DisplayText.Quote(text)} is not a duration; use {Suggest(text, example)}";
            return false;
        }

        long milliseconds = 0;
        try
        {
            for (var i = 0; i < match.Groups["number"].Captures.Count; i++)
            {
                var number = long.Parse(match.Groups["number"].Captures[i].Value, NumberStyles.None, CultureInfo.InvariantCulture);
                var unit = match.Groups["unit"].Captures[i].Value;
                milliseconds = checked(milliseconds + checked(number * UnitMilliseconds(unit)));
            }
        }
        catch (OverflowException)
        {
            milliseconds = long.MaxValue;
        }

        if (milliseconds <= 0)
        {
            problem = $"{DisplayText.Quote(text)} must be longer than zero; use {Quote(example)}";
            return false;
        }

        if (milliseconds > (long)Max.TotalMilliseconds)
        {
            problem = $"{DisplayText.Quote(text)} is longer than 24h; use at most \"24h\"";
            return false;
        }

        value = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }

    /// <summary>Writes a duration the way it could be written in the file: <c>1m30s</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var builder = new StringBuilder();
        var hours = (long)value.TotalHours;
        if (hours > 0)
        {
            builder.Append(hours).Append('h');
        }

        if (value.Minutes > 0)
        {
            builder.Append(value.Minutes).Append('m');
        }

        if (value.Seconds > 0)
        {
            builder.Append(value.Seconds).Append('s');
        }

        if (value.Milliseconds > 0)
        {
            builder.Append(value.Milliseconds).Append("ms");
        }

        return builder.ToString();
    }

    private static long UnitMilliseconds(string unit) => unit switch
    {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown duration unit."),
    };

    private static string Suggest(string text, string example)
    {
        var trimmed = text.Trim();
        if (WholeNumber().IsMatch(trimmed))
        {
            // "30" most likely means seconds, as in most other tools' timeouts.
            return Quote(trimmed + "s");
        }

        var fraction = Fraction().Match(trimmed);
        if (fraction.Success
            && decimal.TryParse(fraction.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var milliseconds = number * UnitMilliseconds(fraction.Groups["unit"].Value);
            if (milliseconds == decimal.Truncate(milliseconds) && milliseconds is > 0 and <= long.MaxValue)
            {
                return Quote(Format(TimeSpan.FromMilliseconds((double)milliseconds)));
            }
        }

        return $"a whole number with ms, s, m or h, e.g. {Quote(example)}";
    }

    private static string Quote(string value) => "\"" + value + "\"";

    [GeneratedRegex(@"^(?:(?<number>[0-9]{1,18})(?<unit>ms|s|m|h))+$")]
    private static partial Regex Syntax();

    [GeneratedRegex("^[0-9]{1,18}$")]
    private static partial Regex WholeNumber();

    [GeneratedRegex(@"^(?<number>[0-9]{0,18}\.[0-9]{1,9})(?<unit>ms|s|m|h)$")]
    private static partial Regex Fraction();
}
