namespace Proctor.Masking.Detection;

/// <summary>Character classes the detectors share to decide where a value starts and ends.</summary>
internal static class TextShape
{
    public static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' || (c > 0x7F && char.IsLetterOrDigit(c));

    /// <summary>True if a value may start at <paramref name="i"/>: not glued to a word, nor to <c>word-</c> or <c>word.</c>.</summary>
    public static bool StartsWord(ReadOnlySpan<char> text, int i)
    {
        if (i == 0) return true;
        var before = text[i - 1];
        if (IsWordChar(before)) return false;
        return !(before is '-' or '.' or '/' && i >= 2 && IsWordChar(text[i - 2]));
    }

    /// <summary>True if a value may end just before <paramref name="i"/>.</summary>
    public static bool EndsWord(ReadOnlySpan<char> text, int i)
    {
        if (i >= text.Length) return true;
        var after = text[i];
        if (IsWordChar(after)) return false;
        return !(after is '-' or '/' && i + 1 < text.Length && IsWordChar(text[i + 1]));
    }

    public static int SkipWord(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && IsWordChar(text[i])) i++;
        return i;
    }

    /// <summary>
    /// Skips words joined by single <c>-</c>, <c>.</c> or <c>/</c> (<c>852024ab-432b-83b9</c>): no value
    /// may start inside them (see <see cref="StartsWord"/>).
    /// </summary>
    public static int SkipJoinedWords(ReadOnlySpan<char> text, int i)
    {
        i = SkipWord(text, i);
        while (i + 1 < text.Length && text[i] is '-' or '.' or '/' && IsWordChar(text[i + 1])) i = SkipWord(text, i + 1);
        return i;
    }

    public static bool IsBase64Url(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_';

    public static int RunOf(ReadOnlySpan<char> text, int i, Func<char, bool> member)
    {
        while (i < text.Length && member(text[i])) i++;
        return i;
    }
}
