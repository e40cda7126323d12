namespace Proctor.Configuration.Formats;

/// <summary>Booleans are <c>true</c> or <c>false</c> (any case, quoted or not: environment overrides are always text).</summary>
internal static class BooleanFormat
{
    public static bool TryParse(string text, out bool value, out string? problem)
    {
        problem = null;
        if (bool.TryParse(text, out value))
        {
            return true;
        }

        problem = $"{DisplayText.Quote(text)} is not true or false; use false";
        return false;
    }
}
