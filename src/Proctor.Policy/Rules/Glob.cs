using System.Text;

namespace Proctor.Policy.Rules;

/// <summary>
/// A name pattern: <c>*</c> matches any run of characters except <c>/</c>, <c>**</c> any run
/// including <c>/</c> (for resource URIs), <c>?</c> one character except <c>/</c>, and <c>\</c>
/// makes the next character literal. Matching is ordinal; a <see cref="Folded"/> glob compares
/// folded text on both sides (deny rules, see <see cref="NameFold"/>). Patterns without wildcards
/// are compared as strings. Matching walks the name once per pattern part (no backtracking), so its
/// time is linear in the name whatever the pattern.
/// </summary>
internal sealed class Glob
{
    /// <summary>Names up to this length are matched with stack memory only.</summary>
    private const int StackLimit = 256;

    private readonly Part[] _parts;

    private Glob(string pattern, string? literal, Part[] parts, bool folded)
    {
        Pattern = pattern;
        Literal = literal;
        _parts = parts;
        Folded = folded;
    }

    private enum PartKind : byte
    {
        Text,
        One,
        Segment,
        Any,
    }

    private readonly record struct Part(PartKind Kind, string Text);

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>The exact (folded, for a folded glob) name when the pattern has no wildcard.</summary>
    public string? Literal { get; }

    public bool Folded { get; }

    /// <summary>Matches <paramref name="name"/>, which a folded glob expects already folded.</summary>
    public bool Matches(string name)
    {
        if (Literal is not null)
        {
            return string.Equals(Literal, name, StringComparison.Ordinal);
        }

        var length = name.Length + 1;
        Span<bool> current = length <= StackLimit ? stackalloc bool[length] : new bool[length];
        Span<bool> next = length <= StackLimit ? stackalloc bool[length] : new bool[length];
        current[0] = true;
        foreach (var part in _parts)
        {
            next.Clear();
            Step(part, name, current, next);
            var swap = current;
            current = next;
            next = swap;
        }

        return current[name.Length];
    }

    /// <summary>From every position reachable before <paramref name="part"/>, marks the positions reachable after it.</summary>
    private static void Step(Part part, string name, Span<bool> from, Span<bool> to)
    {
        var running = false;
        for (var i = 0; i <= name.Length; i++)
        {
            switch (part.Kind)
            {
                case PartKind.Text:
                    if (from[i] && name.AsSpan(i).StartsWith(part.Text, StringComparison.Ordinal))
                    {
                        to[i + part.Text.Length] = true;
                    }

                    break;
                case PartKind.One:
                    if (from[i] && i < name.Length && name[i] != '/')
                    {
                        to[i + (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]) ? 2 : 1)] = true;
                    }

                    break;
                case PartKind.Segment:
                    if (i > 0 && name[i - 1] == '/')
                    {
                        running = false;
                    }

                    running |= from[i];
                    to[i] = running;
                    break;
                default:
                    running |= from[i];
                    to[i] = running;
                    break;
            }
        }
    }

    /// <summary>Parses <paramref name="pattern"/>; null with <paramref name="error"/> when it is not a valid glob.</summary>
    public static Glob? Parse(string pattern, bool folded, out string? error)
    {
        error = Check(pattern);
        if (error is not null)
        {
            return null;
        }

        var parts = new List<Part>();
        var text = new StringBuilder();
        var wild = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                i++;
                var escaped = pattern.Substring(i, char.IsHighSurrogate(pattern[i]) && i + 1 < pattern.Length ? 2 : 1);
                i += escaped.Length - 1;
                text.Append(folded ? NameFold.Fold(escaped) : escaped);
                continue;
            }

            if (c is not ('*' or '?'))
            {
                var literal = pattern.Substring(i, char.IsHighSurrogate(c) && i + 1 < pattern.Length ? 2 : 1);
                i += literal.Length - 1;
                text.Append(folded ? NameFold.Fold(literal) : literal);
                continue;
            }

            wild = true;
            if (text.Length > 0)
            {
                parts.Add(new Part(PartKind.Text, text.ToString()));
                text.Clear();
            }

            if (c == '?')
            {
                parts.Add(new Part(PartKind.One, ""));
            }
            else if (i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                parts.Add(new Part(PartKind.Any, ""));
                i++;
            }
            else
            {
                parts.Add(new Part(PartKind.Segment, ""));
            }
        }

        if (!wild)
        {
            return new Glob(pattern, text.ToString(), [], folded);
        }

        if (text.Length > 0)
        {
            parts.Add(new Part(PartKind.Text, text.ToString()));
        }

        return new Glob(pattern, null, [.. parts], folded);
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
