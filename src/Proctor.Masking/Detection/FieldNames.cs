namespace Proctor.Masking.Detection;

/// <summary>Field names compared the way people vary them: <c>Account-Number</c> = <c>account_number</c> = <c>accountNumber</c>.</summary>
internal static class FieldNames
{
    /// <summary>
    /// Normalized names are cut to this length. Rules and the names in payloads MUST be cut alike, or a
    /// rule for a long field name would never match its field.
    /// </summary>
    public const int MaxLength = 256;

    public static string Normalize(ReadOnlySpan<char> name)
    {
        Span<char> buffer = stackalloc char[Math.Min(name.Length, MaxLength)];
        return new string(buffer[..Normalize(name, buffer)]);
    }

    /// <summary>Writes the lowercase letters and digits of <paramref name="name"/> to <paramref name="into"/>; returns the count.</summary>
    public static int Normalize(ReadOnlySpan<char> name, Span<char> into)
    {
        var n = 0;
        foreach (var c in name)
        {
            if (n == into.Length)
            {
                break;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                into[n++] = char.ToLowerInvariant(c);
            }
        }
        return n;
    }
}
