using System.Buffers;

namespace Proctor.Masking.Detection;

/// <summary>
/// Proves cheaply that no built-in detector can find anything in a text, so most clean strings are
/// never decoded or scanned. Every detector needs at least one of: a digit (numbers, IBAN check digits,
/// IPv4, and the digits that Slack, <c>github_pat_</c>, opaque Bearer and AWS secret values must
/// contain), <c>@</c> (email), <c>:</c> (IPv6), <c>_</c> (GitHub tokens), <c>J</c> (<c>eyJ</c>: JWT,
/// JWT Bearer), <c>I</c> (<c>AKIA</c>, <c>ASIA</c>, <c>-----BEGIN</c>), or <c>asic </c> / <c>ASIC </c>
/// (the <c>Basic</c>, <c>basic</c> and <c>BASIC</c> prefixes the scanner searches; a Basic credential
/// may hold no digit). A detector added without one of these must extend this list; the tests mask the
/// accuracy corpus through both the streaming and the node path to catch that.
/// Any non-ASCII character may be a look-alike of one of these (a fullwidth or Arabic-Indic digit,
/// <see cref="LookAlikes"/>), so text holding one is always scanned.
/// </summary>
internal static class Triggers
{
    private const string Characters = "0123456789@:_JI";
    private static readonly SearchValues<char> Chars = SearchValues.Create(Characters);

    // ASCII bytes that prove nothing. Searching for any other byte finds a trigger or any byte of a
    // non-ASCII character in one pass, with the ASCII searcher (an "except" search over an ASCII set).
    private static readonly SearchValues<byte> InertBytes = AsciiExcept(Characters);

    /// <summary>
    /// False only if no built-in detector can match the string whose UTF-8 bytes are <paramref name="utf8"/>.
    /// For JSON, only the bytes of a string without escapes: an escape such as <c>\u0031</c> can spell any character.
    /// </summary>
    public static bool MayMatch(ReadOnlySpan<byte> utf8) =>
        utf8.ContainsAnyExcept(InertBytes) || Holds(utf8, "c "u8, "asic "u8) || Holds(utf8, "C "u8, "ASIC "u8);

    /// <summary>False only if no built-in detector can match <paramref name="text"/>, ASCII as folded (<see cref="LookAlikes"/>).</summary>
    public static bool MayMatch(ReadOnlySpan<char> text) =>
        text.ContainsAny(Chars) || text.IndexOf("asic ", StringComparison.Ordinal) >= 0 || text.IndexOf("ASIC ", StringComparison.Ordinal) >= 0;

    /// <summary>
    /// The shortest value a built-in detector finds with no digit, <c>@</c>, <c>:</c>, <c>%</c> or
    /// non-ASCII character in it: a Basic credential (<c>Basic </c> and 8 base64 characters) or a JWT
    /// (<c>eyJhIjoxfQ.ab.</c>), 14 characters. Every other credential is longer or holds a digit.
    /// </summary>
    private const int ShortestWithoutNameTrigger = 14;
    private const string NameCharacters = "0123456789@:%";
    private static readonly SearchValues<byte> InertNameBytes = AsciiExcept(NameCharacters);
    private static readonly SearchValues<char> InertNameChars = SearchValues.Create(string.Concat(Enumerable.Range(0, 128).Select(c => (char)c).Where(c => !NameCharacters.Contains(c))));

    /// <summary>
    /// <see cref="MayMatch(ReadOnlySpan{char})"/> for a JSON member name as written, cheaper for the short
    /// identifiers names mostly are (<c>created_at</c>, <c>isError</c>): shorter than any credential, they
    /// need a digit, <c>@ : %</c> or a non-ASCII character to hold anything.
    /// </summary>
    public static bool NameMayMatch(ReadOnlySpan<char> name) =>
        name.ContainsAnyExcept(InertNameChars) || (name.Length >= ShortestWithoutNameTrigger && MayMatch(name));

    /// <summary><see cref="NameMayMatch(ReadOnlySpan{char})"/> on a name's UTF-8 bytes without escapes.</summary>
    public static bool NameMayMatch(ReadOnlySpan<byte> utf8) =>
        utf8.ContainsAnyExcept(InertNameBytes) || (utf8.Length >= ShortestWithoutNameTrigger && MayMatch(utf8));

    private static SearchValues<byte> AsciiExcept(string characters) =>
        SearchValues.Create(Enumerable.Range(0, 128).Where(b => !characters.Contains((char)b)).Select(b => (byte)b).ToArray());

    // "c " is rare in text, while an "a" four bytes before a space is common: the short search settles most strings.
    private static bool Holds(ReadOnlySpan<byte> utf8, ReadOnlySpan<byte> tail, ReadOnlySpan<byte> word) =>
        utf8.IndexOf(tail) >= 0 && utf8.IndexOf(word) >= 0;
}
