using System.Globalization;

namespace Proctor.Configuration.Formats;

/// <summary>Limits are a whole number of at least 1, written plainly (<c>100</c>); a limit of zero would refuse everything.</summary>
internal static class CountFormat
{
    public static bool TryParse(string text, int example, out int value, out string? problem)
    {
        problem = null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            problem = $"{DisplayText.Quote(text)} is not a whole number; use e.g. {example}";
            return false;
        }

        if (value < 1)
        {
            problem = $"{DisplayText.Quote(text)} must be at least 1 (a limit of 0 would refuse every request); use e.g. {example}";
            return false;
        }

        return true;
    }
}
