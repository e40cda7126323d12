using Proctor.Masking.Detection.Checks;

namespace Proctor.Masking.Detection;

/// <summary>IBANs, compact (<c>DE89370400440532013000</c>) or printed in groups of four.</summary>
internal static class IbanDetector
{
    private const int MaxLength = 34;

    /// <summary>Returns the end of the IBAN starting at <paramref name="start"/>, or 0 if there is none.</summary>
    public static int Detect(ReadOnlySpan<char> text, int start, List<Finding> findings)
    {
        if (!Fits(TextShape.Before(text, start)))
        {
            return 0;
        }

        var length = Iban.LengthFor(text.Slice(start, 2));
        if (length == 0)
        {
            return 0;
        }

        Span<char> compact = stackalloc char[MaxLength];
        var n = 0;
        var i = start;
        while (n < length && i < text.Length)
        {
            var c = text[i];
            if (char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)) { compact[n++] = c; i++; continue; }
            if (c == ' ' && n % 4 == 0 && i + 1 < text.Length && text[i + 1] != ' ') { i++; continue; }
            break;
        }
        if (n != length || !Fits(TextShape.After(text, i)) || !Iban.HasValidCheckDigits(compact[..n]))
        {
            return 0;
        }

        findings.Add(new Finding(start, i - start, EntityTypes.Iban));
        return i;
    }

    /// <summary>Mod-97 makes a chance match rare, so an IBAN may be joined to words (<c>iban_DE89…</c>, <c>/DE89….pdf</c>), but not glued to one.</summary>
    private static bool Fits(Edge edge) => edge is Edge.Clean or Edge.Joined;
}
