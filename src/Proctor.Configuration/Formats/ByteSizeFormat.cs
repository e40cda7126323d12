using System.Globalization;
using System.Text.RegularExpressions;

namespace Proctor.Configuration.Formats;

/// <summary>
/// Sizes are a whole number of bytes (<c>4194304</c>) or a whole number with a binary unit
/// (<c>512KiB</c>, <c>4MiB</c>, <c>1GiB</c>). Decimal units (<c>MB</c>) are refused: "4MB" means
/// 4,000,000 to some readers and 4,194,304 to others.
/// </summary>
internal static partial class ByteSizeFormat
{
    public static bool TryParse(string text, string example, out long value, out string? problem)
    {
        value = 0;
        problem = null;
        var match = Syntax().Match(text);
        if (!match.Success)
        {
            var decimalUnit = DecimalUnit().Match(text);
            problem = decimalUnit.Success
                ? $"{DisplayText.Quote(text)} is not a size; use \"{decimalUnit.Groups["number"].Value}{char.ToUpperInvariant(decimalUnit.Groups["unit"].Value[0])}iB\""
                : $"{DisplayText.Quote(text)} is not a size; use a number of bytes, or a whole number with KiB, MiB or GiB, e.g. \"{example}\"";
            return false;
        }

        var fits = long.TryParse(match.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
        var shift = match.Groups["unit"].Value.ToUpperInvariant() switch
        {
            "" or "B" => 0,
            "KIB" => 10,
            "MIB" => 20,
            "GIB" => 30,
            var unit => throw new InvalidOperationException($"Unexpected unit {unit}."),
        };

        if (!fits || number > long.MaxValue >> shift)
        {
            problem = $"{DisplayText.Quote(text)} is too large; use e.g. \"{example}\"";
            return false;
        }

        value = number << shift;
        if (value <= 0)
        {
            problem = $"{DisplayText.Quote(text)} must be larger than zero; use \"{example}\"";
            return false;
        }

        return true;
    }

    [GeneratedRegex("^(?<number>[0-9]{1,19})(?<unit>|B|KiB|MiB|GiB)$", RegexOptions.IgnoreCase)]
    private static partial Regex Syntax();

    [GeneratedRegex("^(?<number>[0-9]{1,19}) ?(?<unit>KB|MB|GB|K|M|G)$", RegexOptions.IgnoreCase)]
    private static partial Regex DecimalUnit();
}
