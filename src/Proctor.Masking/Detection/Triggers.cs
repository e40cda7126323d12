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
    private static readonly SearchValues<byte> Bytes = SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(Characters));
    private static readonly SearchValues<char> Chars = SearchValues.Create(Characters);

    /// <summary>
    /// False only if no built-in detector can match the string whose UTF-8 bytes are <paramref name="utf8"/>.
    /// For JSON, only the bytes of a string without escapes: an escape such as <c>\u0031</c> can spell any character.
    /// </summary>
    public static bool MayMatch(ReadOnlySpan<byte> utf8) =>
        utf8.ContainsAny(Bytes) || utf8.ContainsAnyInRange((byte)0x80, (byte)0xFF) || Holds(utf8, "c "u8, "asic "u8) || Holds(utf8, "C "u8, "ASIC "u8);

    /// <summary>False only if no built-in detector can match <paramref name="text"/>.</summary>
    public static bool MayMatch(ReadOnlySpan<char> text) =>
        text.ContainsAny(Chars) || text.IndexOf("asic ", StringComparison.Ordinal) >= 0 || text.IndexOf("ASIC ", StringComparison.Ordinal) >= 0;

    // "c " is rare in text, while an "a" four bytes before a space is common: the short search settles most strings.
    private static bool Holds(ReadOnlySpan<byte> utf8, ReadOnlySpan<byte> tail, ReadOnlySpan<byte> word) =>
        utf8.IndexOf(tail) >= 0 && utf8.IndexOf(word) >= 0;
}
