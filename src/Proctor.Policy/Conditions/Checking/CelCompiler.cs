using System.Text.RegularExpressions;
using Proctor.Policy.Conditions.Evaluation;
using Proctor.Policy.Conditions.Syntax;

namespace Proctor.Policy.Conditions.Checking;

/// <summary>A problem in a condition, at a 0-based character offset of its text.</summary>
internal sealed record CelDiagnostic(int Position, string Message);

/// <summary>
/// Checks a parsed condition and compiles it into evaluation nodes, collecting every problem:
/// unknown names, fields and functions, wrong argument counts, types that cannot work together
/// where the checker can know them, and regular expressions the linear-time engine refuses.
/// </summary>
internal sealed class CelCompiler
{
    public static readonly string[] Variables = ["args", "caller", "target"];

    private static readonly Dictionary<string, (CallerField Field, StaticType Type)> CallerFields = new(StringComparer.Ordinal)
    {
        ["subject"] = (CallerField.Subject, StaticType.String),
        ["issuer"] = (CallerField.Issuer, StaticType.Dyn),
        ["method"] = (CallerField.Method, StaticType.String),
        ["agentKey"] = (CallerField.AgentKey, StaticType.Dyn),
        ["groups"] = (CallerField.Groups, StaticType.List),
        ["roles"] = (CallerField.Roles, StaticType.List),
        ["scopes"] = (CallerField.Scopes, StaticType.List),
        ["amr"] = (CallerField.Amr, StaticType.List),
        ["acr"] = (CallerField.Acr, StaticType.Dyn),
        ["mfa"] = (CallerField.Mfa, StaticType.Bool),
        ["authAge"] = (CallerField.AuthAge, StaticType.Dyn),
    };

    private static readonly Dictionary<string, (TargetField Field, StaticType Type)> TargetFields = new(StringComparer.Ordinal)
    {
        ["server"] = (TargetField.Server, StaticType.String),
        ["kind"] = (TargetField.Kind, StaticType.String),
        ["name"] = (TargetField.Name, StaticType.String),
        ["tool"] = (TargetField.Tool, StaticType.Dyn),
    };

    private static readonly string[] GlobalFunctions = ["size", "int", "uint", "double", "string", "matches", "has"];

    private static readonly string[] Methods = ["size", "startsWith", "endsWith", "contains", "matches", "lowerAscii", "upperAscii", "all", "exists", "exists_one", "map", "filter"];

    private readonly List<CelDiagnostic> _errors = [];
    private readonly List<string> _scope = [];
    private readonly List<ArgumentPath> _paths = [];
    private int _slots;
    private bool _readsArgs;

    /// <summary>
    /// Compiles <paramref name="source"/>; the condition is null when there are errors. A rule's
    /// condition must give a boolean (<paramref name="requireBoolean"/>); tests evaluate any expression.
    /// </summary>
    public static (CelCondition? Condition, IReadOnlyList<CelDiagnostic> Errors) Compile(string source, bool requireBoolean = true)
    {
        CelAst ast;
        try
        {
            ast = CelParser.Parse(source);
        }
        catch (CelSyntaxException e)
        {
            return (null, [new CelDiagnostic(e.Position, e.Message)]);
        }

        var compiler = new CelCompiler();
        var (root, type) = compiler.Visit(ast);
        if (requireBoolean && !StaticTypes.Admits(type, StaticType.Bool))
        {
            compiler.Error(ast, $"a condition must give true or false; this one gives {StaticTypes.Name(type)}");
        }

        if (compiler._errors.Count > 0)
        {
            return (null, compiler._errors);
        }

        return (new CelCondition(source, root, compiler._readsArgs, compiler._slots, ArgumentPath.Longest(compiler._paths)), []);
    }

    private void Error(CelAst at, string message) => _errors.Add(new CelDiagnostic(at.Position, message));

    private (CelNode Node, StaticType Type) Visit(CelAst ast) => ast switch
    {
        LiteralAst literal => (new ConstantNode(literal.Value), StaticTypes.Of(literal.Value)),
        IdentAst ident => Identifier(ident),
        SelectAst select => Select(select),
        IndexAst index => Index(index),
        CallAst call => call.Target is null ? GlobalCall(call) : MethodCall(call),
        UnaryAst unary => Unary(unary),
        BinaryAst binary => Binary(binary),
        ConditionalAst conditional => Conditional(conditional),
        ListAst list => List(list),
        MapAst map => Map(map),
        ComprehensionAst comprehension => Comprehension(comprehension),
        _ => throw new InvalidOperationException($"unexpected syntax node {ast.GetType().Name}"),
    };

    private (CelNode, StaticType) Invalid => (new ConstantNode(CelValue.Null), StaticType.Dyn);

    private (CelNode, StaticType) Identifier(IdentAst ident)
    {
        var slot = _scope.LastIndexOf(ident.Name);
        if (slot >= 0)
        {
            return (new SlotNode(slot), StaticType.Dyn);
        }

        switch (ident.Name)
        {
            case "args":
                _readsArgs = true;
                return (new ArgsNode(), StaticType.Map);
            case "caller":
                Error(ident, "caller is read one field at a time, e.g. caller.subject or caller.groups; fields: " + string.Join(", ", CallerFields.Keys));
                return Invalid;
            case "target":
                Error(ident, "target is read one field at a time, e.g. target.server; fields: " + string.Join(", ", TargetFields.Keys));
                return Invalid;
            default:
                Error(ident, $"unknown name '{ident.Name}'; a condition reads args, caller and target" + Suggestions.DidYouMean(ident.Name, Variables.Concat(_scope)));
                return Invalid;
        }
    }

    private bool IsUnshadowed(CelAst ast, string name) => ast is IdentAst ident && ident.Name == name && !_scope.Contains(name);

    private (CelNode, StaticType) Select(SelectAst select)
    {
        if (IsUnshadowed(select.Operand, "caller"))
        {
            if (CallerFields.TryGetValue(select.Field, out var field))
            {
                return (new CallerFieldNode(field.Field, select.TestOnly), select.TestOnly ? StaticType.Bool : field.Type);
            }

            Error(select, $"caller has no field '{select.Field}'" + Suggestions.DidYouMean(select.Field, CallerFields.Keys) + "; fields: " + string.Join(", ", CallerFields.Keys));
            return Invalid;
        }

        if (IsUnshadowed(select.Operand, "target"))
        {
            if (TargetFields.TryGetValue(select.Field, out var field))
            {
                return (new TargetFieldNode(field.Field, select.TestOnly), select.TestOnly ? StaticType.Bool : field.Type);
            }

            Error(select, $"target has no field '{select.Field}'" + Suggestions.DidYouMean(select.Field, TargetFields.Keys) + "; fields: " + string.Join(", ", TargetFields.Keys));
            return Invalid;
        }

        var (operand, type) = Visit(select.Operand);
        if (!StaticTypes.Admits(type, StaticType.Map))
        {
            Error(select, $"cannot select '{select.Field}' from a {StaticTypes.Name(type)}" + (type == StaticType.String && Methods.Contains(select.Field) ? $"; call it: .{select.Field}(…)" : ""));
            return Invalid;
        }

        RecordPath(select);
        return select.TestOnly ? (new HasNode(operand, select.Field), StaticType.Bool) : (new SelectNode(operand, select.Field), StaticType.Dyn);
    }

    private (CelNode, StaticType) Index(IndexAst index)
    {
        var (operand, type) = Visit(index.Operand);
        var (key, keyType) = Visit(index.Index);
        if (!StaticTypes.Admits(type, StaticType.List, StaticType.Map))
        {
            Error(index, $"cannot index a {StaticTypes.Name(type)} with [ ]");
            return Invalid;
        }

        if (type == StaticType.List && !StaticTypes.Admits(keyType, StaticType.Int, StaticType.Uint, StaticType.Double))
        {
            Error(index.Index, $"a list index must be an integer, not {StaticTypes.Name(keyType)}");
        }

        RecordPath(index);
        return (new IndexNode(operand, key), StaticType.Dyn);
    }

    private void RecordPath(CelAst ast)
    {
        if (ArgumentPath.Of(ast, _scope) is { } path)
        {
            _paths.Add(path);
        }
    }

    /// <summary>
    /// <c>'memo' in args</c> tests for a field as <c>has(args.memo)</c> does. Only on <c>args</c> itself, the one value
    /// known to be a map: on <c>args.tags</c> it may be list membership, which names no field.
    /// </summary>
    private void RecordKeyTest(BinaryAst binary)
    {
        if (binary.Left is LiteralAst { Value.Kind: CelKind.String } key && IsUnshadowed(binary.Right, "args"))
        {
            _paths.Add(new ArgumentPath([key.Value.AsString], binary.Position));
        }
    }

    private (CelNode, StaticType) GlobalCall(CallAst call)
    {
        switch (call.Function)
        {
            case "size":
                return Arity(call, 1) ? Size(call, Visit(call.Arguments[0])) : Invalid;
            case "int" or "uint" or "double" or "string":
                return Arity(call, 1) ? Convert(call) : Invalid;
            case "matches":
                return Arity(call, 2) ? Matches(call, call.Arguments[0], call.Arguments[1]) : Invalid;
            default:
                Error(call, $"unknown function '{call.Function}'" + Suggestions.DidYouMean(call.Function, GlobalFunctions.Concat(Methods))
                    + "; functions: size, int, uint, double, string, matches, has, and the methods " + string.Join(", ", Methods));
                return Invalid;
        }
    }

    private bool Arity(CallAst call, int count)
    {
        if (call.Arguments.Length == count)
        {
            return true;
        }

        Error(call, $"{call.Function}() takes {count} argument{(count == 1 ? "" : "s")}, found {call.Arguments.Length}");
        return false;
    }

    private (CelNode, StaticType) Size(CallAst call, (CelNode Node, StaticType Type) operand)
    {
        if (!StaticTypes.Admits(operand.Type, StaticType.String, StaticType.List, StaticType.Map))
        {
            Error(call, $"size() takes a string, list or map, not {StaticTypes.Name(operand.Type)}");
        }

        return (new SizeNode(operand.Node), StaticType.Int);
    }

    private (CelNode, StaticType) Convert(CallAst call)
    {
        var (operand, type) = Visit(call.Arguments[0]);
        var (conversion, result, accepted) = call.Function switch
        {
            "int" => (Conversion.Int, StaticType.Int, new[] { StaticType.Int, StaticType.Uint, StaticType.Double, StaticType.String }),
            "uint" => (Conversion.Uint, StaticType.Uint, [StaticType.Int, StaticType.Uint, StaticType.Double, StaticType.String]),
            "double" => (Conversion.Double, StaticType.Double, [StaticType.Int, StaticType.Uint, StaticType.Double, StaticType.String]),
            _ => (Conversion.String, StaticType.String, [StaticType.Int, StaticType.Uint, StaticType.Double, StaticType.String, StaticType.Bool]),
        };
        if (!StaticTypes.Admits(type, accepted))
        {
            Error(call, $"{call.Function}() cannot convert a {StaticTypes.Name(type)}");
        }

        return (new ConvertNode(operand, conversion), result);
    }

    private (CelNode, StaticType) MethodCall(CallAst call)
    {
        var target = call.Target!;
        switch (call.Function)
        {
            case "size":
                return Arity(call, 0) ? Size(call, Visit(target)) : Invalid;
            case "startsWith" or "endsWith" or "contains":
                if (!Arity(call, 1))
                {
                    return Invalid;
                }

                var text = StringOperand(call, target);
                var part = StringOperand(call, call.Arguments[0]);
                var test = call.Function switch
                {
                    "startsWith" => StringTest.StartsWith,
                    "endsWith" => StringTest.EndsWith,
                    _ => StringTest.Contains,
                };
                return (new StringTestNode(text, part, test), StaticType.Bool);
            case "matches":
                return Arity(call, 1) ? Matches(call, target, call.Arguments[0]) : Invalid;
            case "lowerAscii" or "upperAscii":
                return Arity(call, 0) ? (new AsciiCaseNode(StringOperand(call, target), call.Function == "upperAscii"), StaticType.String) : Invalid;
            default:
                Error(call, $"unknown method '{call.Function}'" + Suggestions.DidYouMean(call.Function, Methods) + "; methods: " + string.Join(", ", Methods));
                return Invalid;
        }
    }

    private CelNode StringOperand(CallAst call, CelAst operand)
    {
        var (node, type) = Visit(operand);
        if (!StaticTypes.Admits(type, StaticType.String))
        {
            Error(operand, $"{call.Function}() works on strings, not on a {StaticTypes.Name(type)}");
        }

        return node;
    }

    private (CelNode, StaticType) Matches(CallAst call, CelAst text, CelAst pattern)
    {
        var node = StringOperand(call, text);
        if (pattern is not LiteralAst { Value.Kind: CelKind.String } literal)
        {
            Error(pattern, "matches() needs a literal pattern (a quoted string), so that it is compiled once when the policy loads");
            return Invalid;
        }

        try
        {
            // Non-backtracking: linear in the input (RE2's guarantee), so an argument cannot make it run away.
            var regex = new Regex(literal.Value.AsString, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant);
            return (new MatchesNode(node, regex), StaticType.Bool);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            Error(pattern, $"the pattern is not a regular expression this gateway can run in linear time: {e.Message.TrimEnd('.')} (backreferences, lookaround and atomic groups are not supported)");
            return Invalid;
        }
    }

    private (CelNode, StaticType) Unary(UnaryAst unary)
    {
        var (operand, type) = Visit(unary.Operand);
        if (unary.Operator == "!")
        {
            if (!StaticTypes.Admits(type, StaticType.Bool))
            {
                Error(unary, $"'!' needs true or false, not a {StaticTypes.Name(type)}");
            }

            return (new NotNode(operand), StaticType.Bool);
        }

        if (!StaticTypes.Admits(type, StaticType.Int, StaticType.Double))
        {
            Error(unary, $"'-' needs an int or a double, not a {StaticTypes.Name(type)}");
        }

        return (new NegateNode(operand), type);
    }

    private (CelNode, StaticType) Binary(BinaryAst binary)
    {
        var (left, leftType) = Visit(binary.Left);
        var (right, rightType) = Visit(binary.Right);
        switch (binary.Operator)
        {
            case "&&" or "||":
                if (!StaticTypes.Admits(leftType, StaticType.Bool) || !StaticTypes.Admits(rightType, StaticType.Bool))
                {
                    Error(binary, $"'{binary.Operator}' joins true/false values, not {StaticTypes.Name(leftType)} and {StaticTypes.Name(rightType)}");
                }

                return (binary.Operator == "&&" ? new AndNode(left, right) : new OrNode(left, right), StaticType.Bool);
            case "==" or "!=":
                return (new EqualsNode(left, right, binary.Operator == "!="), StaticType.Bool);
            case "<" or "<=" or ">" or ">=":
                if (leftType != StaticType.Dyn && rightType != StaticType.Dyn && !Orderable(leftType, rightType))
                {
                    Error(binary, $"cannot order a {StaticTypes.Name(leftType)} and a {StaticTypes.Name(rightType)} with '{binary.Operator}'");
                }

                var relation = binary.Operator switch
                {
                    "<" => Relation.Less,
                    "<=" => Relation.LessOrEqual,
                    ">" => Relation.Greater,
                    _ => Relation.GreaterOrEqual,
                };
                return (new CompareNode(left, right, relation), StaticType.Bool);
            case "in":
                if (!StaticTypes.Admits(rightType, StaticType.List, StaticType.Map))
                {
                    Error(binary, $"'in' needs a list or a map on its right, not a {StaticTypes.Name(rightType)}");
                }

                RecordKeyTest(binary);
                return (new InNode(left, right), StaticType.Bool);
            default:
                return Arithmetic(binary, left, leftType, right, rightType);
        }
    }

    private static bool Orderable(StaticType a, StaticType b) =>
        (StaticTypes.IsNumber(a) && StaticTypes.IsNumber(b)) || (a == b && a is StaticType.String or StaticType.Bool);

    private (CelNode, StaticType) Arithmetic(BinaryAst binary, CelNode left, StaticType leftType, CelNode right, StaticType rightType)
    {
        var (operation, allowed) = binary.Operator switch
        {
            "+" => (Evaluation.Arithmetic.Add, new[] { StaticType.Int, StaticType.Uint, StaticType.Double, StaticType.String, StaticType.List }),
            "-" => (Evaluation.Arithmetic.Subtract, [StaticType.Int, StaticType.Uint, StaticType.Double]),
            "*" => (Evaluation.Arithmetic.Multiply, [StaticType.Int, StaticType.Uint, StaticType.Double]),
            "/" => (Evaluation.Arithmetic.Divide, [StaticType.Int, StaticType.Uint, StaticType.Double]),
            _ => (Evaluation.Arithmetic.Modulo, [StaticType.Int, StaticType.Uint]),
        };
        var known = leftType != StaticType.Dyn && rightType != StaticType.Dyn;
        if (!StaticTypes.Admits(leftType, allowed) || !StaticTypes.Admits(rightType, allowed) || (known && leftType != rightType))
        {
            var hint = known && StaticTypes.IsNumber(leftType) && StaticTypes.IsNumber(rightType)
                ? "; CEL does not mix number types in arithmetic: convert one side, e.g. double(x)"
                : "";
            Error(binary, $"'{binary.Operator}' does not apply to a {StaticTypes.Name(leftType)} and a {StaticTypes.Name(rightType)}" + hint);
        }

        return (new ArithmeticNode(left, right, operation), leftType == rightType ? leftType : StaticType.Dyn);
    }

    private (CelNode, StaticType) Conditional(ConditionalAst conditional)
    {
        var (test, testType) = Visit(conditional.Condition);
        if (!StaticTypes.Admits(testType, StaticType.Bool))
        {
            Error(conditional, $"the condition before '?' must be true or false, not a {StaticTypes.Name(testType)}");
        }

        var (whenTrue, trueType) = Visit(conditional.WhenTrue);
        var (whenFalse, falseType) = Visit(conditional.WhenFalse);
        return (new ConditionalNode(test, whenTrue, whenFalse), trueType == falseType ? trueType : StaticType.Dyn);
    }

    private (CelNode, StaticType) List(ListAst list)
    {
        var items = new CelNode[list.Items.Length];
        var constant = true;
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Visit(list.Items[i]).Node;
            constant &= items[i] is ConstantNode;
        }

        if (constant)
        {
            // Built once at load: ['a', 'b'] in a condition costs nothing per call.
            var values = new CelValue[items.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = ((ConstantNode)items[i]).Value;
            }

            return (new ConstantNode(CelValue.List(values)), StaticType.List);
        }

        return (new ListNode(items), StaticType.List);
    }

    private (CelNode, StaticType) Map(MapAst map)
    {
        var keys = new CelNode[map.Keys.Length];
        var values = new CelNode[map.Keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var (key, keyType) = Visit(map.Keys[i]);
            if (!StaticTypes.Admits(keyType, StaticType.String, StaticType.Int, StaticType.Uint, StaticType.Bool))
            {
                Error(map.Keys[i], $"a map key must be a string, int, uint or bool, not a {StaticTypes.Name(keyType)}");
            }

            keys[i] = key;
            values[i] = Visit(map.Values[i]).Node;
        }

        return (new MapNode(keys, values), StaticType.Map);
    }

    private (CelNode, StaticType) Comprehension(ComprehensionAst comprehension)
    {
        var (range, rangeType) = Visit(comprehension.Range);
        var name = comprehension.Kind switch
        {
            MacroKind.All => "all",
            MacroKind.Exists => "exists",
            MacroKind.ExistsOne => "exists_one",
            MacroKind.Map => "map",
            _ => "filter",
        };
        if (!StaticTypes.Admits(rangeType, StaticType.List, StaticType.Map))
        {
            Error(comprehension, $"this macro runs over a list or a map, not a {StaticTypes.Name(rangeType)}");
        }

        var variable = comprehension.Variable;
        if (Variables.Contains(variable) || _scope.Contains(variable))
        {
            Error(comprehension, $"the loop variable '{variable}' hides another name; choose another, e.g. '{(variable.Length == 1 ? variable + "2" : variable[..1])}'");
        }

        _scope.Add(variable);
        var slot = _scope.Count - 1;
        _slots = Math.Max(_slots, _scope.Count);
        CelNode? predicate = null;
        CelNode? transform = null;
        if (comprehension.Predicate is not null)
        {
            var (node, type) = Visit(comprehension.Predicate);
            if (!StaticTypes.Admits(type, StaticType.Bool))
            {
                Error(comprehension.Predicate, $"the test in {name}() must give true or false, not a {StaticTypes.Name(type)}");
            }

            predicate = node;
        }

        if (comprehension.Transform is not null)
        {
            transform = Visit(comprehension.Transform).Node;
        }

        _scope.RemoveAt(_scope.Count - 1);
        var result = comprehension.Kind is MacroKind.Map or MacroKind.Filter ? StaticType.List : StaticType.Bool;
        return (new ComprehensionNode(comprehension.Kind, range, slot, predicate, transform), result);
    }
}
