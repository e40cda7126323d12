using System.Buffers;

namespace Proctor.Masking.Detection;

/// <summary>
/// Proves, from a string's raw UTF-8 bytes, that no built-in detector can find anything in it, so
/// most clean strings are never decoded or scanned. Every detector needs at least one of:
/// a digit (numbers, IBAN check digits, IPv4, and the digits that Slack, <c>github_pat_</c>, opaque
/// Bearer and AWS secret values must contain), <c>@</c> (email), <c>:</c> (IPv6), <c>_</c> (GitHub
/// tokens), <c>J</c> (<c>eyJ</c>: JWT, JWT Bearer), <c>I</c> (<c>AKIA</c>, <c>ASIA</c>,
/// <c>-----BEGIN</c>), or <c>asic </c> / <c>ASIC </c> (the <c>Basic</c>, <c>basic</c> and <c>BASIC</c>
/// prefixes the scanner searches; a Basic credential may hold no digit).
/// A detector added without one of these must extend this list; the accuracy corpus is also masked
/// through the streaming path to catch that.
/// </summary>
internal static class ByteTriggers
{
    private static readonly SearchValues<byte> Bytes = SearchValues.Create("0123456789@:_JI"u8);

    /// <summary>
    /// False only if no built-in detector can match in <paramref name="utf8"/>: the bytes of a JSON
    /// string without escapes (an escape such as <c>\u0031</c> can spell any character, so escaped
    /// strings are always scanned).
    /// </summary>
    public static bool MayMatch(ReadOnlySpan<byte> utf8) =>
        utf8.ContainsAny(Bytes) || utf8.IndexOf("asic "u8) >= 0 || utf8.IndexOf("ASIC "u8) >= 0;
}
