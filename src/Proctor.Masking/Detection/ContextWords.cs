using System.Collections.Frozen;

namespace Proctor.Masking.Detection;

/// <summary>
/// Reads context from words: the words just before a candidate in free text, or the words of a
/// JSON field name (<c>account_number</c>, <c>routingNumber</c>, <c>customer-SSN</c>). Words are
/// compared whole, so "ip" never fires inside "recipient".
/// </summary>
internal static class ContextWords
{
    /// <summary>How far before a candidate free-text context is looked for: "Routing number (ABA): " fits.</summary>
    public const int WindowChars = 40;

    private static readonly FrozenDictionary<string, ContextFlags> FlagsByWord = new Dictionary<string, ContextFlags>
    {
        ["routing"] = ContextFlags.Routing, ["aba"] = ContextFlags.Routing, ["rtn"] = ContextFlags.Routing,
        ["transit"] = ContextFlags.Routing,
        ["account"] = ContextFlags.Account, ["accounts"] = ContextFlags.Account, ["acct"] = ContextFlags.Account, ["accts"] = ContextFlags.Account, ["accountnumber"] = ContextFlags.Account,
        ["accountno"] = ContextFlags.Account, ["acctno"] = ContextFlags.Account, ["dda"] = ContextFlags.Account,
        ["ssn"] = ContextFlags.Ssn, ["social"] = ContextFlags.Ssn, ["ssns"] = ContextFlags.Ssn,
        ["itin"] = ContextFlags.Itin, ["tin"] = ContextFlags.Itin | ContextFlags.Ssn, ["taxpayer"] = ContextFlags.Itin | ContextFlags.Ssn,
        ["phone"] = ContextFlags.Phone, ["phones"] = ContextFlags.Phone, ["tel"] = ContextFlags.Phone, ["telephone"] = ContextFlags.Phone,
        ["mobile"] = ContextFlags.Phone, ["cell"] = ContextFlags.Phone, ["fax"] = ContextFlags.Phone,
        ["dob"] = ContextFlags.Birth, ["birth"] = ContextFlags.Birth, ["born"] = ContextFlags.Birth,
        ["birthday"] = ContextFlags.Birth, ["birthdate"] = ContextFlags.Birth,
        ["ein"] = ContextFlags.Ein, ["fein"] = ContextFlags.Ein, ["employer"] = ContextFlags.Ein,
        ["secret"] = ContextFlags.Secret,
        ["card"] = ContextFlags.Card, ["pan"] = ContextFlags.Card,
        ["version"] = ContextFlags.Version, ["ver"] = ContextFlags.Version, ["build"] = ContextFlags.Version,
        ["release"] = ContextFlags.Version, ["tag"] = ContextFlags.Version,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenDictionary<string, ContextFlags>.AlternateLookup<ReadOnlySpan<char>> Lookup =
        FlagsByWord.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Context from the words that end before <paramref name="candidateStart"/>.</summary>
    public static ContextFlags Before(ReadOnlySpan<char> text, int candidateStart)
    {
        var from = Math.Max(0, candidateStart - WindowChars);
        return Of(text[from..candidateStart]);
    }

    /// <summary>
    /// Context from every word of <paramref name="words"/>; splits on anything but letters and on
    /// camelCase humps (<c>routingNumber</c>, <c>IPAddress</c>).
    /// </summary>
    public static ContextFlags Of(ReadOnlySpan<char> words)
    {
        var flags = ContextFlags.None;
        var start = -1;
        for (var i = 0; i <= words.Length; i++)
        {
            var c = i < words.Length ? words[i] : ' ';
            if (!char.IsAsciiLetter(c))
            {
                if (start >= 0)
                {
                    flags |= Word(words[start..i]);
                }

                start = -1;
                continue;
            }
            if (start < 0) { start = i; continue; }
            if (IsHump(words, i))
            {
                flags |= Word(words[start..i]);
                start = i;
            }
        }
        return flags;
    }

    private static bool IsHump(ReadOnlySpan<char> s, int i) =>
        char.IsAsciiLetterUpper(s[i])
        && (char.IsAsciiLetterLower(s[i - 1])
            || (i + 1 < s.Length && char.IsAsciiLetterUpper(s[i - 1]) && char.IsAsciiLetterLower(s[i + 1])));

    private static ContextFlags Word(ReadOnlySpan<char> word) =>
        Lookup.TryGetValue(word, out var flags) ? flags : ContextFlags.None;
}
