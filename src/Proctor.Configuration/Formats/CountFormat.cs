using System.Globalization;

namespace Proctor.Configuration.Formats;

/// <summary>Counts are whole numbers written in digits, within a range the key documents.</summary>
internal static class CountFormat
{
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
