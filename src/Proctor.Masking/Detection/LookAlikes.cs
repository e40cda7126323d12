using System.Globalization;
using System.Text;

namespace Proctor.Masking.Detection;

/// <summary>
/// Folds characters that look like (or stand for) the ASCII ones detectors read, so that
/// <c>５１４–２４–１０９８</c> or <c>514%2D24%2D1098</c> is found like <c>514-24-1098</c>. The detectors scan
/// the folded copy; a map from each folded character back to its source lets the engine replace the
/// original characters, so the output keeps the caller's text everywhere else.
/// Folded: fullwidth ASCII (U+FF01–FF5E); every Unicode decimal digit (Nd, any script, also outside
/// the BMP); dashes and minus signs; no-break, thin and other fixed-width spaces; percent escapes of
/// ASCII punctuation and space (<c>%2D</c>, <c>%3D</c>, <c>%40</c>, …); invisible characters (zero-width space, non-joiner and joiner,
/// word joiner, invisible operators, BOM, soft hyphen, Mongolian vowel separator), which are dropped
/// inside a number and read as a space elsewhere (they separate words visually but not digits).
/// </summary>
internal static class LookAlikes
{
    /// <summary>The one ASCII character that can start a fold: a percent escape.</summary>
    private const char Percent = '%';

    /// <summary>False only if <see cref="Fold"/> would change nothing: the text is ASCII without a percent sign.</summary>
    public static bool MayFold(ReadOnlySpan<char> text) => text.ContainsAnyExceptInRange('\0', '\x7F') || text.Contains(Percent);

    /// <summary>
    /// Writes the folded text to <paramref name="folded"/> (at least as long as <paramref name="text"/>)
    /// and, when <paramref name="sources"/> is not empty, the index in <paramref name="text"/> of each
    /// folded character's source. Returns the folded length, or -1 when nothing folds (use the text as is).
    /// </summary>
    public static int Fold(ReadOnlySpan<char> text, Span<char> folded, Span<int> sources)
    {
        var n = 0;
        var changed = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = FoldAt(text, i, out var consumed);
            if (c == Invisible)
            {
                // Inside a number or a word it is dropped (51\u200B4-24-1098, S\u200BSN); between a word and a number it parts them like a space (ssn\u200B514241098).
                changed = true;
                var dropped = n > 0 && SameKind(folded[n - 1], NextVisible(text, i + consumed));
                if (!dropped)
                {
                    n = Put(folded, sources, n, ' ', i);
                }
            }
            else if (c == KeptPair)
            {
                // A pair that does not fold stays two characters, both pointing at the pair.
                n = Put(folded, sources, n, text[i], i);
                n = Put(folded, sources, n, text[i + 1], i);
            }
            else
            {
                changed |= consumed != 1 || c != text[i];
                n = Put(folded, sources, n, (char)c, i);
            }

            i += consumed;
        }

        return changed ? n : -1;
    }

    /// <summary>How many characters of <paramref name="text"/> from <paramref name="source"/> folded into one.</summary>
    public static int SourceLength(ReadOnlySpan<char> text, int source)
    {
        FoldAt(text, source, out var consumed);
        return consumed;
    }

    private const int Invisible = -1;
    private const int KeptPair = -2;

    private static int Put(Span<char> folded, Span<int> sources, int n, char c, int source)
    {
        folded[n] = c;
        if (!sources.IsEmpty)
        {
            sources[n] = source;
        }

        return n + 1;
    }

    private static bool SameKind(char before, char after) =>
        (IsNumberChar(before) && IsNumberChar(after)) || (char.IsLetter(before) && char.IsLetter(after));

    private static bool IsNumberChar(char c) => char.IsAsciiDigit(c) || c is '-' or '.' or '/' or ' ';

    private static char NextVisible(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length)
        {
            var c = FoldAt(text, i, out var consumed);
            if (c != Invisible)
            {
                return c == KeptPair ? text[i] : (char)c;
            }

            i += consumed;
        }
        return '\0';
    }

    /// <summary>The folded character at <paramref name="i"/>, <see cref="Invisible"/>, or <see cref="KeptPair"/> for a pair kept as is.</summary>
    private static int FoldAt(ReadOnlySpan<char> text, int i, out int consumed)
    {
        consumed = 1;
        var c = text[i];
        if (c < 0x80)
        {
            return c == Percent ? PercentEscape(text, i, ref consumed) : c;
        }

        switch (c)
        {
            case >= '\uFF01' and <= '\uFF5E': return (char)(c - 0xFEE0);
            case >= '\u2010' and <= '\u2015' or '\u2043' or '\u2212' or '\uFE58' or '\uFE63': return '-';
            case '\u00A0' or (>= '\u2000' and <= '\u200A') or '\u202F' or '\u205F' or '\u3000': return ' ';
            case (>= '\u200B' and <= '\u200D') or (>= '\u2060' and <= '\u2064') or '\uFEFF' or '\u00AD' or '\u180E': return Invisible;
        }
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            consumed = 2;
            var rune = new Rune(c, text[i + 1]);
            return Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber ? (char)('0' + (int)Rune.GetNumericValue(rune)) : KeptPair;
        }
        return CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber ? (char)('0' + CharUnicodeInfo.GetDecimalDigitValue(c)) : c;
    }

    private static char PercentEscape(ReadOnlySpan<char> text, int i, ref int consumed)
    {
        if (i + 2 >= text.Length || !char.IsAsciiHexDigit(text[i + 1]) || !char.IsAsciiHexDigit(text[i + 2]))
        {
            return Percent;
        }

        var decoded = (char)(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
        // Punctuation only: it is what separates values (%2D, %3D, %40); an escaped letter or digit hides nothing.
        if (decoded is < ' ' or > '~' || char.IsAsciiLetterOrDigit(decoded))
        {
            return Percent;
        }

        consumed = 3;
        return decoded;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
