using System.Text;
using System.Text.RegularExpressions;

namespace Proctor.Policy.Rules;

/// <summary>
/// A name pattern: <c>*</c> matches any run of characters except <c>/</c>, <c>**</c> any run
/// including <c>/</c> (for resource URIs), <c>?</c> one character except <c>/</c>, and <c>\</c>
/// makes the next character literal. Matching is ordinal; a <see cref="Folded"/> glob compares
/// folded text on both sides (deny rules, see <see cref="NameFold"/>). Patterns without wildcards
/// are compared as strings.
/// </summary>
internal sealed class Glob
{
    private readonly Regex? _regex;

    private Glob(string pattern, string? literal, Regex? regex, bool folded)
    {
        Pattern = pattern;
        Literal = literal;
        _regex = regex;
        Folded = folded;
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>The exact (folded, for a folded glob) name when the pattern has no wildcard.</summary>
    public string? Literal { get; }

    public bool Folded { get; }

    /// <summary>Whether the pattern matches every name (<c>*</c> or <c>**</c>) of a kind without '/'.</summary>
    public bool IsMatchAll => Pattern is "*" or "**";

    /// <summary>Matches <paramref name="name"/>, which a folded glob expects already folded.</summary>
    public bool Matches(string name) => Literal is not null ? string.Equals(Literal, name, StringComparison.Ordinal) : _regex!.IsMatch(name);

    /// <summary>Parses <paramref name="pattern"/>; null with <paramref name="error"/> when it is not a valid glob.</summary>
    public static Glob? Parse(string pattern, bool folded, out string? error)
    {
        error = Check(pattern);
        if (error is not null)
        {
            return null;
        }

        var regex = new StringBuilder(@"\A");
        var literal = new StringBuilder();
        var wild = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
                var escaped = pattern.Substring(i, char.IsHighSurrogate(pattern[i]) ? 2 : 1);
                i += escaped.Length - 1;
                AppendLiteral(regex, literal, escaped, folded);
            }
            else if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                wild = true;
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                wild = true;
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                wild = true;
                regex.Append(@"(?:[\uD800-\uDBFF][\uDC00-\uDFFF]|[^/])");
            }
            else
            {
                var text = pattern.Substring(i, char.IsHighSurrogate(c) && i + 1 < pattern.Length ? 2 : 1);
                i += text.Length - 1;
                AppendLiteral(regex, literal, text, folded);
            }
        }

        if (!wild)
        {
            return new Glob(pattern, literal.ToString(), null, folded);
        }

        regex.Append(@"\z");
        // Non-backtracking: matching is linear in the name, whatever the pattern and the caller send.
        return new Glob(pattern, null, new Regex(regex.ToString(), RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.Singleline), folded);
    }

    private static void AppendLiteral(StringBuilder regex, StringBuilder literal, string text, bool folded)
    {
        var value = folded ? NameFold.Fold(text) : text;
        literal.Append(value);
        regex.Append(Regex.Escape(value));
    }

    private static string? Check(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "an empty pattern matches nothing; write a name or \"*\"";
        }

        if (pattern.Trim().Length != pattern.Length)
        {
            return "the pattern starts or ends with spaces; remove them";
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 == pattern.Length)
                {
                    return "the pattern ends with a lone '\\'; write '\\\\' for a backslash";
                }

                i++;
                continue;
            }

            if (c == '*' && i + 2 < pattern.Length && pattern[i + 1] == '*' && pattern[i + 2] == '*')
            {
                return "'***' is not a pattern; use '*' (within one path segment) or '**' (across '/')";
            }

            if (c is '[' or ']' or '{' or '}')
            {
                return $"'{c}' is reserved in patterns (character classes and alternatives are not supported); list each name, or escape it as '\\{c}'";
            }

            if (char.IsControl(c))
            {
                return "the pattern holds a control character";
            }
        }

        return null;
    }
}
