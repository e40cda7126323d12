using System.Globalization;
using System.Text;

namespace Proctor.Policy.Conditions.Syntax;

internal enum TokenKind
{
    End,
    Identifier,
    Int,
    Uint,
    Double,
    String,
    True,
    False,
    Null,
    In,
    Punctuation,
}

internal readonly record struct Token(TokenKind Kind, string Text, int Position, CelValue Value = default);

/// <summary>CEL's lexical grammar (cel-spec langdef.md), without bytes literals.</summary>
internal sealed class CelLexer(string source)
{
    /// <summary>Words CEL reserves: they can name neither a variable nor a field written with a dot.</summary>
    private static readonly HashSet<string> Reserved = new(
        ["as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"],
        StringComparer.Ordinal);

    private static readonly string[] Punctuation = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "?", ":", ".", ",", "[", "]", "(", ")", "{", "}"];

    private int _at;

    public List<Token> Tokens()
    {
        var tokens = new List<Token>();
        while (true)
        {
            SkipSpaceAndComments();
            if (_at >= source.Length)
            {
                tokens.Add(new Token(TokenKind.End, "", _at));
                return tokens;
            }

            tokens.Add(Next());
        }
    }

    private void SkipSpaceAndComments()
    {
        while (_at < source.Length)
        {
            var c = source[_at];
            if (c is ' ' or '\t' or '\n' or '\r' or '\f')
            {
                _at++;
            }
            else if (c == '/' && _at + 1 < source.Length && source[_at + 1] == '/')
            {
                while (_at < source.Length && source[_at] != '\n')
                {
                    _at++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private Token Next()
    {
        var start = _at;
        var c = source[_at];
        if (char.IsAsciiDigit(c) || (c == '.' && _at + 1 < source.Length && char.IsAsciiDigit(source[_at + 1])))
        {
            return Number(start);
        }

        if ((c is 'r' or 'R') && _at + 1 < source.Length && source[_at + 1] is '"' or '\'')
        {
            _at++;
            return StringLiteral(start, raw: true);
        }

        if ((c is 'b' or 'B') && _at + 1 < source.Length && source[_at + 1] is '"' or '\'')
        {
            throw new CelSyntaxException(start, "bytes literals (b\"…\") are not supported; compare strings instead");
        }

        if (c is '"' or '\'')
        {
            return StringLiteral(start, raw: false);
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_at < source.Length && (char.IsAsciiLetterOrDigit(source[_at]) || source[_at] == '_'))
            {
                _at++;
            }

            var word = source[start.._at];
            return word switch
            {
                "true" => new Token(TokenKind.True, word, start),
                "false" => new Token(TokenKind.False, word, start),
                "null" => new Token(TokenKind.Null, word, start),
                "in" => new Token(TokenKind.In, word, start),
                _ when Reserved.Contains(word) => throw new CelSyntaxException(start, $"'{word}' is a reserved word in CEL and cannot be used as a name"),
                _ => new Token(TokenKind.Identifier, word, start),
            };
        }

        foreach (var symbol in Punctuation)
        {
            if (string.CompareOrdinal(source, _at, symbol, 0, symbol.Length) == 0)
            {
                _at += symbol.Length;
                return new Token(TokenKind.Punctuation, symbol, start);
            }
        }

        if (c == '=')
        {
            throw new CelSyntaxException(start, "'=' is not an operator in CEL; compare with '=='");
        }

        if (c == '&' || c == '|')
        {
            throw new CelSyntaxException(start, $"'{c}' alone is not an operator in CEL; use '{c}{c}'");
        }

        throw new CelSyntaxException(start, $"unexpected character '{c}'");
    }

    private Token Number(int start)
    {
        if (source[_at] == '0' && _at + 1 < source.Length && source[_at + 1] is 'x' or 'X')
        {
            _at += 2;
            var digits = _at;
            while (_at < source.Length && char.IsAsciiHexDigit(source[_at]))
            {
                _at++;
            }

            if (_at == digits)
            {
                throw new CelSyntaxException(start, "a hexadecimal number needs digits after 0x");
            }

            var hex = source[digits.._at];
            if (_at < source.Length && source[_at] is 'u' or 'U')
            {
                _at++;
                return ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unsigned)
                    ? new Token(TokenKind.Uint, source[start.._at], start, CelValue.Uint(unsigned))
                    : throw new CelSyntaxException(start, "this uint literal is larger than 2^64-1");
            }

            return ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) && value <= (ulong)long.MaxValue + 1
                ? new Token(TokenKind.Int, source[start.._at], start, CelValue.Uint(value))
                : throw new CelSyntaxException(start, "this int literal is larger than 2^63-1");
        }

        var isDouble = false;
        while (_at < source.Length && char.IsAsciiDigit(source[_at]))
        {
            _at++;
        }

        if (_at < source.Length && source[_at] == '.' && _at + 1 < source.Length && char.IsAsciiDigit(source[_at + 1]))
        {
            isDouble = true;
            _at++;
            while (_at < source.Length && char.IsAsciiDigit(source[_at]))
            {
                _at++;
            }
        }

        if (_at < source.Length && source[_at] is 'e' or 'E')
        {
            var mark = _at;
            _at++;
            if (_at < source.Length && source[_at] is '+' or '-')
            {
                _at++;
            }

            if (_at < source.Length && char.IsAsciiDigit(source[_at]))
            {
                isDouble = true;
                while (_at < source.Length && char.IsAsciiDigit(source[_at]))
                {
                    _at++;
                }
            }
            else
            {
                _at = mark;
            }
        }

        var text = source[start.._at];
        if (isDouble)
        {
            return new Token(TokenKind.Double, text, start, CelValue.Double(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)));
        }

        if (_at < source.Length && source[_at] is 'u' or 'U')
        {
            _at++;
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var unsigned)
                ? new Token(TokenKind.Uint, source[start.._at], start, CelValue.Uint(unsigned))
                : throw new CelSyntaxException(start, "this uint literal is larger than 2^64-1");
        }

        // Kept as uint until the parser knows whether a '-' precedes it: -9223372036854775808 is a valid int.
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var magnitude) && magnitude <= (ulong)long.MaxValue + 1
            ? new Token(TokenKind.Int, text, start, CelValue.Uint(magnitude))
            : throw new CelSyntaxException(start, "this int literal is larger than 2^63-1; write a double (with '.0') or a uint (with 'u')");
    }

    private Token StringLiteral(int start, bool raw)
    {
        var quote = source[_at];
        var triple = _at + 2 < source.Length && source[_at + 1] == quote && source[_at + 2] == quote;
        _at += triple ? 3 : 1;
        var text = new StringBuilder();
        while (true)
        {
            if (_at >= source.Length)
            {
                throw new CelSyntaxException(start, "this string is not closed; end it with " + (triple ? new string(quote, 3) : quote.ToString()));
            }

            var c = source[_at];
            if (c == quote && (!triple || (_at + 2 < source.Length && source[_at + 1] == quote && source[_at + 2] == quote)))
            {
                _at += triple ? 3 : 1;
                return new Token(TokenKind.String, source[start.._at], start, CelValue.String(text.ToString()));
            }

            if (!triple && c is '\n' or '\r')
            {
                throw new CelSyntaxException(_at, "a quoted string cannot span lines; use a triple-quoted string ('''…''')");
            }

            if (c == '\\' && !raw)
            {
                Escape(text);
                continue;
            }

            text.Append(c);
            _at++;
        }
    }

    private void Escape(StringBuilder text)
    {
        var start = _at;
        _at++;
        if (_at >= source.Length)
        {
            throw new CelSyntaxException(start, "a string ends in a lone backslash");
        }

        var c = source[_at++];
        switch (c)
        {
            case 'a': text.Append('\a'); return;
            case 'b': text.Append('\b'); return;
            case 'f': text.Append('\f'); return;
            case 'n': text.Append('\n'); return;
            case 'r': text.Append('\r'); return;
            case 't': text.Append('\t'); return;
            case 'v': text.Append('\v'); return;
            case '\\': text.Append('\\'); return;
            case '\'': text.Append('\''); return;
            case '"': text.Append('"'); return;
            case '`': text.Append('`'); return;
            case '?': text.Append('?'); return;
            case 'x' or 'X': AppendCodePoint(text, start, Hex(start, 2)); return;
            case 'u': AppendCodePoint(text, start, Hex(start, 4)); return;
            case 'U': AppendCodePoint(text, start, Hex(start, 8)); return;
        }

        if (c is >= '0' and <= '3' && _at + 1 < source.Length && source[_at] is >= '0' and <= '7' && source[_at + 1] is >= '0' and <= '7')
        {
            AppendCodePoint(text, start, ((c - '0') * 64) + ((source[_at] - '0') * 8) + (source[_at + 1] - '0'));
            _at += 2;
            return;
        }

        throw new CelSyntaxException(start, $"'\\{c}' is not an escape CEL knows");
    }

    private int Hex(int start, int digits)
    {
        if (_at + digits > source.Length || !int.TryParse(source.AsSpan(_at, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new CelSyntaxException(start, $"this escape needs {digits} hexadecimal digits");
        }

        _at += digits;
        return value;
    }

    private static void AppendCodePoint(StringBuilder text, int position, int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            throw new CelSyntaxException(position, $"U+{codePoint:X4} is not a Unicode scalar value");
        }

        text.Append(new Rune(codePoint).ToString());
    }
}

/// <summary>A syntax error at a character offset of the expression.</summary>
internal sealed class CelSyntaxException(int position, string message) : Exception(message)
{
    public int Position { get; } = position;
}
