namespace Proctor.Policy.Conditions.Syntax;

/// <summary>
/// Recursive descent over CEL's grammar (cel-spec langdef.md, "Syntax"), with the macros of the
/// spec recognised at parse time. Nesting is bounded so that a hostile or mistaken expression cannot
/// exhaust the stack while the policy loads.
/// </summary>
internal sealed class CelParser
{
    /// <summary>cel-go's default parser recursion limit is 250; policy conditions nest a handful of levels.</summary>
    public const int MaxDepth = 48;

    /// <summary>Longer than any sensible condition; a policy file is not the place for a program.</summary>
    public const int MaxLength = 4096;

    private readonly List<Token> _tokens;
    private int _at;
    private int _depth;

    private CelParser(List<Token> tokens) => _tokens = tokens;

    /// <summary>Parses <paramref name="source"/>; throws <see cref="CelSyntaxException"/> at the first error.</summary>
    public static CelAst Parse(string source)
    {
        if (source.Length > MaxLength)
        {
            throw new CelSyntaxException(0, $"the condition is {source.Length} characters long; the limit is {MaxLength}");
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            throw new CelSyntaxException(0, "the condition is empty; remove the key or write an expression such as args.amount > 10000");
        }

        var parser = new CelParser(new CelLexer(source).Tokens());
        var expression = parser.Expression();
        var end = parser.Peek;
        if (end.Kind != TokenKind.End)
        {
            throw new CelSyntaxException(end.Position, $"unexpected '{end.Text}' after a complete expression");
        }

        return expression;
    }

    private Token Peek => _tokens[_at];

    private bool IsPunctuation(string symbol) => Peek.Kind == TokenKind.Punctuation && Peek.Text == symbol;

    private Token Take() => _tokens[_at++];

    private Token Expect(string symbol, string what)
    {
        if (!IsPunctuation(symbol))
        {
            throw new CelSyntaxException(Peek.Position, $"expected '{symbol}' {what}, found {Describe(Peek)}");
        }

        return Take();
    }

    private static string Describe(Token token) => token.Kind == TokenKind.End ? "the end of the condition" : $"'{token.Text}'";

    private CelAst Expression()
    {
        if (++_depth > MaxDepth)
        {
            throw new CelSyntaxException(Peek.Position, $"the condition nests deeper than {MaxDepth} levels; split it or simplify it");
        }

        var condition = Or();
        if (IsPunctuation("?"))
        {
            var question = Take();
            var whenTrue = Or();
            Expect(":", "after the true branch of '?'");
            var whenFalse = Expression();
            condition = new ConditionalAst(question.Position, condition, whenTrue, whenFalse);
        }

        _depth--;
        return condition;
    }

    private CelAst Or()
    {
        var left = And();
        while (IsPunctuation("||"))
        {
            var op = Take();
            left = new BinaryAst(op.Position, "||", left, And());
        }

        return left;
    }

    private CelAst And()
    {
        var left = Relation();
        while (IsPunctuation("&&"))
        {
            var op = Take();
            left = new BinaryAst(op.Position, "&&", left, Relation());
        }

        return left;
    }

    private CelAst Relation()
    {
        var left = Addition();
        while (Peek.Kind == TokenKind.In || (Peek.Kind == TokenKind.Punctuation && Peek.Text is "==" or "!=" or "<" or "<=" or ">" or ">="))
        {
            var op = Take();
            left = new BinaryAst(op.Position, op.Text, left, Addition());
        }

        return left;
    }

    private CelAst Addition()
    {
        var left = Multiplication();
        while (IsPunctuation("+") || IsPunctuation("-"))
        {
            var op = Take();
            left = new BinaryAst(op.Position, op.Text, left, Multiplication());
        }

        return left;
    }

    private CelAst Multiplication()
    {
        var left = Unary();
        while (IsPunctuation("*") || IsPunctuation("/") || IsPunctuation("%"))
        {
            var op = Take();
            left = new BinaryAst(op.Position, op.Text, left, Unary());
        }

        return left;
    }

    private CelAst Unary()
    {
        if (IsPunctuation("!"))
        {
            var op = Take();
            return new UnaryAst(op.Position, "!", Nested(Unary));
        }

        if (IsPunctuation("-"))
        {
            var op = Take();
            if (Peek.Kind == TokenKind.Int)
            {
                // -9223372036854775808 is an int even though 9223372036854775808 alone is not.
                var literal = Take();
                return Member(new LiteralAst(op.Position, CelValue.Int(unchecked(-(long)literal.Value.AsUint))));
            }

            return new UnaryAst(op.Position, "-", Nested(Unary));
        }

        return Member(Primary());
    }

    private CelAst Nested(Func<CelAst> parse)
    {
        if (++_depth > MaxDepth)
        {
            throw new CelSyntaxException(Peek.Position, $"the condition nests deeper than {MaxDepth} levels; split it or simplify it");
        }

        var result = parse();
        _depth--;
        return result;
    }

    private CelAst Member(CelAst operand)
    {
        while (true)
        {
            if (IsPunctuation("."))
            {
                Take();
                var name = Peek;
                if (name.Kind != TokenKind.Identifier)
                {
                    throw new CelSyntaxException(name.Position, $"expected a field or function name after '.', found {Describe(name)}");
                }

                Take();
                if (IsPunctuation("("))
                {
                    Take();
                    var arguments = Arguments(")");
                    operand = MethodOrMacro(name, operand, arguments);
                }
                else
                {
                    operand = new SelectAst(name.Position, operand, name.Text, false);
                }
            }
            else if (IsPunctuation("["))
            {
                var open = Take();
                var index = Expression();
                Expect("]", "to close the index");
                operand = new IndexAst(open.Position, operand, index);
            }
            else if (IsPunctuation("{"))
            {
                throw new CelSyntaxException(Peek.Position, "message construction (Type{field: value}) is not supported");
            }
            else
            {
                return operand;
            }
        }
    }

    private CelAst Primary()
    {
        var token = Take();
        switch (token.Kind)
        {
            case TokenKind.Int:
                if (token.Value.AsUint > long.MaxValue)
                {
                    throw new CelSyntaxException(token.Position, "this int literal is larger than 2^63-1; write a double (with '.0') or a uint (with 'u')");
                }

                return new LiteralAst(token.Position, CelValue.Int((long)token.Value.AsUint));
            case TokenKind.Uint or TokenKind.Double or TokenKind.String:
                return new LiteralAst(token.Position, token.Value);
            case TokenKind.True:
                return new LiteralAst(token.Position, CelValue.True);
            case TokenKind.False:
                return new LiteralAst(token.Position, CelValue.False);
            case TokenKind.Null:
                return new LiteralAst(token.Position, CelValue.Null);
            case TokenKind.Identifier:
                if (IsPunctuation("("))
                {
                    Take();
                    return GlobalCallOrMacro(token, Arguments(")"));
                }

                return new IdentAst(token.Position, token.Text);
            case TokenKind.Punctuation when token.Text == "(":
                var inner = Expression();
                Expect(")", "to close '('");
                return inner;
            case TokenKind.Punctuation when token.Text == "[":
                return new ListAst(token.Position, Arguments("]"));
            case TokenKind.Punctuation when token.Text == "{":
                return MapLiteral(token);
            case TokenKind.Punctuation when token.Text == ".":
                throw new CelSyntaxException(token.Position, "leading '.' (root-scoped names) is not supported; write the name without it");
            default:
                throw new CelSyntaxException(token.Position, $"expected a value, a name or '(', found {Describe(token)}");
        }
    }

    private CelAst[] Arguments(string close)
    {
        var items = new List<CelAst>();
        if (IsPunctuation(close))
        {
            Take();
            return [.. items];
        }

        while (true)
        {
            items.Add(Expression());
            if (IsPunctuation(","))
            {
                Take();
                if (IsPunctuation(close))
                {
                    Take();
                    return [.. items];
                }

                continue;
            }

            Expect(close, close == ")" ? "to close the argument list" : "to close the list");
            return [.. items];
        }
    }

    private MapAst MapLiteral(Token open)
    {
        var keys = new List<CelAst>();
        var values = new List<CelAst>();
        while (!IsPunctuation("}"))
        {
            keys.Add(Expression());
            Expect(":", "between a map key and its value");
            values.Add(Expression());
            if (!IsPunctuation(","))
            {
                break;
            }

            Take();
        }

        Expect("}", "to close the map");
        return new MapAst(open.Position, [.. keys], [.. values]);
    }

    private CelAst GlobalCallOrMacro(Token name, CelAst[] arguments)
    {
        if (name.Text != "has")
        {
            return new CallAst(name.Position, name.Text, null, arguments);
        }

        if (arguments.Length != 1 || arguments[0] is not SelectAst select)
        {
            throw new CelSyntaxException(name.Position, "has() takes one field selection, e.g. has(args.amount)");
        }

        return select with { TestOnly = true };
    }

    private CelAst MethodOrMacro(Token name, CelAst target, CelAst[] arguments)
    {
        MacroKind? kind = name.Text switch
        {
            "all" => MacroKind.All,
            "exists" => MacroKind.Exists,
            "exists_one" => MacroKind.ExistsOne,
            "map" => MacroKind.Map,
            "filter" => MacroKind.Filter,
            _ => null,
        };
        if (kind is not { } macro)
        {
            return new CallAst(name.Position, name.Text, target, arguments);
        }

        var expected = macro == MacroKind.Map ? "2 or 3" : "2";
        if (arguments.Length < 2 || arguments.Length > (macro == MacroKind.Map ? 3 : 2))
        {
            throw new CelSyntaxException(name.Position, $"{name.Text}() takes {expected} arguments: a variable name and an expression, e.g. {name.Text}(x, x > 0)");
        }

        if (arguments[0] is not IdentAst variable)
        {
            throw new CelSyntaxException(arguments[0].Position, $"the first argument of {name.Text}() must be a plain variable name");
        }

        return macro switch
        {
            MacroKind.Map when arguments.Length == 3 => new ComprehensionAst(name.Position, macro, target, variable.Name, arguments[1], arguments[2]),
            MacroKind.Map => new ComprehensionAst(name.Position, macro, target, variable.Name, null, arguments[1]),
            _ => new ComprehensionAst(name.Position, macro, target, variable.Name, arguments[1], null),
        };
    }
}
