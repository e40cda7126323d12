using System.Globalization;
using System.Text.RegularExpressions;
using Proctor.Configuration.Models;

namespace Proctor.Configuration.Formats;

/// <summary>
/// A retention period: a whole number of days (<c>2555d</c>) or calendar years (<c>7y</c>). Hours and
/// minutes are refused: retention is set by records policy, in days or years, and a period shorter than a
/// day would purge evidence an examiner has not yet had a chance to ask for.
/// </summary>
internal static partial class RetentionFormat
{
    public const string Example = "\"7y\"";

    /// <summary>A century: beyond any records schedule, and far inside what <see cref="DateTimeOffset.AddYears"/> accepts.</summary>
    private const int MaxYears = 100;

    public static bool TryParse(string text, out RetentionPeriod? value, out string? problem)
    {
        value = null;
        problem = null;
        var match = Syntax().Match(text.Trim());
        if (!match.Success)
        {
            problem = $"{DisplayText.Quote(text)} is not a retention period; write whole days or years, e.g. {Example} or \"2555d\"";
            return false;
        }

        var amount = int.Parse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var unit = match.Groups["unit"].Value == "y" ? RetentionUnit.Years : RetentionUnit.Days;
        if (amount == 0)
        {
            problem = $"{DisplayText.Quote(text)} must be at least one day; use e.g. {Example}";
            return false;
        }

        if (amount > (unit == RetentionUnit.Years ? MaxYears : MaxYears * 366))
        {
            problem = $"{DisplayText.Quote(text)} is longer than {MaxYears} years; use at most \"{MaxYears}y\"";
            return false;
        }

        value = new RetentionPeriod(amount, unit);
        return true;
    }

    [GeneratedRegex("^(?<number>[0-9]{1,6})(?<unit>d|y)$")]
    private static partial Regex Syntax();
}
