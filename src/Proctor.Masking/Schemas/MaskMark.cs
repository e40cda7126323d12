using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Proctor.Masking.Schemas;

/// <summary>
/// What every value masking changes carries: a string holding one of the strategies' marks (see
/// <c>Strategies/Replacement.cs</c>): <c>[SSN]</c> (redact), <c>*</c> (partial: at least one letter or
/// digit is always starred), <c>tok_ssn_…</c> (token) or <c>sha256:…</c> (hash). Entity names are
/// lowercase letters, digits and <c>_</c> (MaskingPolicyValidator), so the redaction label is too.
/// A value masking changed is always such a string, even when it was a JSON number.
/// </summary>
internal static partial class MaskMark
{
    /// <summary>ECMA-262 and .NET read it alike (JSON Schema 2020-12 §6.4 asks for ECMA-262); unanchored, so "contains".</summary>
    public const string Pattern = @"\[[A-Z0-9_]+\]|\*|tok_[a-z0-9_]+_[0-9a-f]{16}|sha256:[0-9a-f]{16}";

    /// <summary>Whether <paramref name="text"/> holds a mark, i.e. may be something masking produced.</summary>
    public static bool IsIn(string text) => Regex().IsMatch(text);

    /// <summary>The schema of a masked value: a string holding a mark.</summary>
    public static JsonObject Schema() => new() { ["type"] = "string", ["pattern"] = Pattern };

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
