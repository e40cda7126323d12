namespace Proctor.Masking.Detection;

/// <summary>What touches a candidate value on one side.</summary>
internal enum Edge
{
    /// <summary>Start or end of the text, white space, or punctuation that does not join words (<c>: = # ( [ " ' | ; ,</c>).</summary>
    Clean,

    /// <summary>A joiner (<c>- . _ / \ ~ +</c>) and then a word: <c>cust-4539…</c>, <c>ssn_514…</c>, <c>/customers/515-25-1105/</c>, <c>…105.csv</c>.</summary>
    Joined,

    /// <summary>A joiner and then a hex id (<c>a1c2-123456789012</c>, the last group of a UUID): the value is part of the id.</summary>
    JoinedToHexId,

    /// <summary>A letter or digit right against the value (<c>v1.2.3.4</c>, <c>2024-01-15T10</c>): no value starts or ends here.</summary>
    Glued,
}

/// <summary>Character classes the detectors share to decide where a value starts and ends.</summary>
internal static class TextShape
{
    // A hex id part shorter than this (b2b, a1) is as likely a word; UUID groups have 4 or more.
    private const int MinHexIdPart = 4;

    public static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || (c > 0x7F && char.IsLetterOrDigit(c));

    public static bool IsAlphanumeric(char c) => char.IsAsciiLetterOrDigit(c) || (c > 0x7F && char.IsLetterOrDigit(c));

    public static bool IsJoiner(char c) => c is '-' or '.' or '_' or '/' or '\\' or '~' or '+';

    /// <summary>True if a whole word may start at <paramref name="i"/>: not glued to a word, nor to <c>word-</c> or <c>word.</c>. For deny-list terms and addresses.</summary>
    public static bool StartsWord(ReadOnlySpan<char> text, int i)
    {
        if (i == 0)
        {
            return true;
        }

        var before = text[i - 1];
        if (IsWordChar(before))
        {
            return false;
        }

        return !(before is '-' or '.' or '/' && i >= 2 && IsWordChar(text[i - 2]));
    }

    /// <summary>True if a whole word may end just before <paramref name="i"/>.</summary>
    public static bool EndsWord(ReadOnlySpan<char> text, int i)
    {
        if (i >= text.Length)
        {
            return true;
        }

        var after = text[i];
        if (IsWordChar(after))
        {
            return false;
        }

        return !(after is '-' or '/' && i + 1 < text.Length && IsWordChar(text[i + 1]));
    }

    /// <summary>True if a self-validating value (a credential, an IBAN) may start at <paramref name="i"/>: anything but a letter or digit before it.</summary>
    public static bool StartsToken(ReadOnlySpan<char> text, int i) => i == 0 || !IsAlphanumeric(text[i - 1]);

    /// <summary>True if a self-validating value may end just before <paramref name="i"/>.</summary>
    public static bool EndsToken(ReadOnlySpan<char> text, int i) => i >= text.Length || !IsAlphanumeric(text[i]);

    /// <summary>What touches a value that would start at <paramref name="i"/>.</summary>
    public static Edge Before(ReadOnlySpan<char> text, int i)
    {
        if (i == 0)
        {
            return Edge.Clean;
        }

        var c = text[i - 1];
        if (IsAlphanumeric(c))
        {
            return Edge.Glued;
        }

        if (!IsJoiner(c) || i < 2 || !IsAlphanumeric(text[i - 2]))
        {
            return Edge.Clean;
        }

        var wordStart = i - 2;
        while (wordStart > 0 && IsAlphanumeric(text[wordStart - 1]))
        {
            wordStart--;
        }

        ScanWord(text, wordStart, out var kind);
        return kind == WordKind.HexId ? Edge.JoinedToHexId : Edge.Joined;
    }

    /// <summary>What touches a value that would end just before <paramref name="i"/>.</summary>
    public static Edge After(ReadOnlySpan<char> text, int i)
    {
        if (i >= text.Length)
        {
            return Edge.Clean;
        }

        var c = text[i];
        if (IsAlphanumeric(c))
        {
            return Edge.Glued;
        }

        if (!IsJoiner(c) || i + 1 >= text.Length || !IsAlphanumeric(text[i + 1]))
        {
            return Edge.Clean;
        }

        ScanWord(text, i + 1, out var kind);
        return kind == WordKind.HexId ? Edge.JoinedToHexId : Edge.Joined;
    }

    /// <summary>
    /// Skips the word holding <paramref name="i"/> (<c>x4111…</c>, <c>15T10</c>): no value starts or ends
    /// inside a word. A hex id is skipped with the hex ids and digit groups joined after it, so a UUID or
    /// a dashed hash costs one step (<c>852024ab-432b-83b9-a1c2-123456789012</c>).
    /// </summary>
    public static int SkipWord(ReadOnlySpan<char> text, int i)
    {
        var start = i;
        while (start > 0 && IsAlphanumeric(text[start - 1]))
        {
            start--;
        }

        var kind = WordKind.HexId;
        var end = IsUuidAt(text, start) ? start + UuidLength : ScanWord(text, start, out kind);
        if (kind != WordKind.HexId)
        {
            return end;
        }

        while (end + 1 < text.Length && IsJoiner(text[end]) && IsAlphanumeric(text[end + 1]))
        {
            var next = ScanWord(text, end + 1, out kind);
            if (kind == WordKind.Other)
            {
                break;
            }

            end = next;
        }
        return end;
    }

    private const int UuidLength = 36;
    private static readonly System.Buffers.SearchValues<char> UuidChars = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF-");

    /// <summary>
    /// A UUID (8-4-4-4-12 hex digits) starts at <paramref name="i"/> and ends a word: the commonest id in
    /// tool results, checked with four compares and one vectorized search rather than character by character.
    /// </summary>
    public static bool IsUuidAt(ReadOnlySpan<char> text, int i) =>
        i + UuidLength <= text.Length && text[i + 8] == '-' && text[i + 13] == '-' && text[i + 18] == '-' && text[i + 23] == '-'
        && !text.Slice(i, UuidLength).ContainsAnyExcept(UuidChars) && (i + UuidLength == text.Length || !IsAlphanumeric(text[i + UuidLength]));

    /// <summary>A word of hex digits only, with at least one digit and one letter: a hash, a UUID group, a hex id.</summary>
    public static bool IsHexId(ReadOnlySpan<char> word) => ScanWord(word, 0, out var kind) == word.Length && kind == WordKind.HexId;

    private enum WordKind { Other, Digits, HexId }

    /// <summary>
    /// The end of the word starting at <paramref name="i"/>, and what it is, in one scalar pass: words
    /// here are short (UUID groups), where vectorized searches cost more than they save. Digits and
    /// letters alternate at random in hex ids, so the loop counts with non-short-circuit operators
    /// rather than branching on each character's kind (a mispredicted branch per character doubled
    /// the cost of skipping a UUID).
    /// </summary>
    private static int ScanWord(ReadOnlySpan<char> text, int i, out WordKind kind)
    {
        var start = i;
        var digits = 0;
        var hex = true;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            var digit = (uint)(c - '0') <= 9;
            var letter = (uint)((c | 0x20) - 'a');
            if ((!digit & letter > 25) && !(c > 0x7F && char.IsLetterOrDigit(c)))
            {
                break;
            }

            digits += digit ? 1 : 0;
            hex &= digit | letter <= 5;
        }
        var length = i - start;
        kind = digits == length ? WordKind.Digits : hex && digits > 0 && length >= MinHexIdPart ? WordKind.HexId : WordKind.Other;
        return i;
    }

    public static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    public static int RunOf(ReadOnlySpan<char> text, int i, Func<char, bool> member)
    {
        while (i < text.Length && member(text[i]))
        {
            i++;
        }

        return i;
    }
}
