using System.Globalization;

namespace Proctor.Configuration.Formats;

/// <summary>Counts are whole numbers written in digits: at least 1 (a limit of 0 would refuse everything), or within a range the key documents.</summary>
internal static class CountFormat
{
    /// <summary>A limit with no upper bound of its own.</summary>
    public static bool TryParse(string text, string example, out int value, out string? problem)
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

    public static bool TryParse(string text, int min, int max, out int value, out string? problem)
    {
        value = 0;
        problem = null;
        if (text.Length == 0 || !text.All(char.IsAsciiDigit))
        {
            problem = $"{DisplayText.Quote(text)} is not a whole number; use one from {min} to {max}";
            return false;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < min || number > max)
        {
            problem = $"{DisplayText.Quote(text)} is out of range; use a whole number from {min} to {max}";
            return false;
        }

        value = (int)number;
        return true;
    }
}
