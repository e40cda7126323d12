using System.Globalization;
using System.Text.RegularExpressions;

namespace Proctor.Policy.Conditions.Evaluation;

internal sealed class SizeNode(CelNode operand) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var value = operand.Eval(context);
        switch (value.Kind)
        {
            case CelKind.String:
                var text = value.AsString;
                return context.Spend(1 + (text.Length / CelBudget.CharactersPerUnit)) ? CelValue.Int(CelOperators.CodePoints(text)) : context.OverBudget();
            case CelKind.List:
                return CelValue.Int(CelLists.Count(value));
            case CelKind.Map:
                return CelValue.Int(CelMaps.Count(value));
            case CelKind.Error:
                return value;
            default:
                return CelValue.Error($"no such overload: size({value.TypeName})");
        }
    }
}

internal enum StringTest
{
    StartsWith,
    EndsWith,
    Contains,
}

/// <summary><c>s.startsWith(t)</c>, <c>endsWith</c>, <c>contains</c>: ordinal, as CEL compares code points.</summary>
internal sealed class StringTestNode(CelNode target, CelNode argument, StringTest test) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var text = target.Eval(context);
        var part = argument.Eval(context);
        if (text.Kind != CelKind.String || part.Kind != CelKind.String)
        {
            return CelOperators.NoOverload(Name, text, part);
        }

        var s = text.AsString;
        if (!context.Spend(1 + (s.Length / CelBudget.CharactersPerUnit)))
        {
            return context.OverBudget();
        }

        return CelValue.Bool(test switch
        {
            StringTest.StartsWith => s.StartsWith(part.AsString, StringComparison.Ordinal),
            StringTest.EndsWith => s.EndsWith(part.AsString, StringComparison.Ordinal),
            _ => s.Contains(part.AsString, StringComparison.Ordinal),
        });
    }

    private string Name => test switch
    {
        StringTest.StartsWith => "startsWith",
        StringTest.EndsWith => "endsWith",
        _ => "contains",
    };
}

/// <summary>
/// <c>s.matches(pattern)</c> with a literal pattern compiled once at load by .NET's non-backtracking
/// engine: time linear in the input, like RE2 (cel-spec's regex dialect), so no argument can make
/// a condition run away.
/// </summary>
internal sealed class MatchesNode(CelNode target, Regex pattern) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var text = target.Eval(context);
        if (text.Kind != CelKind.String)
        {
            return text.IsError ? text : CelValue.Error($"no such overload: {text.TypeName}.matches(string)");
        }

        var s = text.AsString;
        return context.Spend(1 + (s.Length / CelBudget.CharactersPerUnit)) ? CelValue.Bool(pattern.IsMatch(s)) : context.OverBudget();
    }
}

/// <summary><c>s.lowerAscii()</c> and <c>s.upperAscii()</c> (cel-go's strings extension): only A–Z/a–z change.</summary>
internal sealed class AsciiCaseNode(CelNode target, bool upper) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var text = target.Eval(context);
        if (text.Kind != CelKind.String)
        {
            return text.IsError ? text : CelValue.Error($"no such overload: {text.TypeName}.{(upper ? "upperAscii" : "lowerAscii")}()");
        }

        var s = text.AsString;
        if (!context.Spend(1 + (s.Length / CelBudget.CharactersPerUnit)))
        {
            return context.OverBudget();
        }

        return CelValue.String(string.Create(s.Length, (s, upper), static (span, state) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = state.s[i];
                span[i] = state.upper ? (char.IsAsciiLetterLower(c) ? (char)(c - 32) : c) : (char.IsAsciiLetterUpper(c) ? (char)(c + 32) : c);
            }
        }));
    }
}

internal enum Conversion
{
    Int,
    Uint,
    Double,
    String,
}

/// <summary><c>int(x)</c>, <c>uint(x)</c>, <c>double(x)</c>, <c>string(x)</c> with CEL's range checks.</summary>
internal sealed class ConvertNode(CelNode operand, Conversion conversion) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var value = operand.Eval(context);
        if (value.IsError)
        {
            return value;
        }

        return conversion switch
        {
            Conversion.Int => ToInt(value),
            Conversion.Uint => ToUint(value),
            Conversion.Double => ToDouble(value),
            _ => ToText(value),
        };
    }

    private static CelValue ToInt(CelValue value) => value.Kind switch
    {
        CelKind.Int => value,
        CelKind.Uint => value.AsUint <= long.MaxValue ? CelValue.Int((long)value.AsUint) : Range("int", value),
        CelKind.Double => value.AsDouble is > -9.2233720368547758E18 and < 9.2233720368547758E18 ? CelValue.Int((long)value.AsDouble) : Range("int", value),
        CelKind.String => long.TryParse(value.AsString, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? CelValue.Int(parsed)
            : CelValue.Error($"int() cannot read {Quote(value.AsString)} as an integer"),
        _ => CelValue.Error($"no such overload: int({value.TypeName})"),
    };

    private static CelValue ToUint(CelValue value) => value.Kind switch
    {
        CelKind.Uint => value,
        CelKind.Int => value.AsInt >= 0 ? CelValue.Uint((ulong)value.AsInt) : Range("uint", value),
        CelKind.Double => value.AsDouble is > -1 and < 1.8446744073709552E19 ? CelValue.Uint((ulong)value.AsDouble) : Range("uint", value),
        CelKind.String => ulong.TryParse(value.AsString, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? CelValue.Uint(parsed)
            : CelValue.Error($"uint() cannot read {Quote(value.AsString)} as an unsigned integer"),
        _ => CelValue.Error($"no such overload: uint({value.TypeName})"),
    };

    private static CelValue ToDouble(CelValue value) => value.Kind switch
    {
        CelKind.Double => value,
        CelKind.Int => CelValue.Double(value.AsInt),
        CelKind.Uint => CelValue.Double(value.AsUint),
        CelKind.String => double.TryParse(value.AsString, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? CelValue.Double(parsed)
            : CelValue.Error($"double() cannot read {Quote(value.AsString)} as a number"),
        _ => CelValue.Error($"no such overload: double({value.TypeName})"),
    };

    private static CelValue ToText(CelValue value) => value.Kind switch
    {
        CelKind.String => value,
        CelKind.Int => CelValue.String(value.AsInt.ToString(CultureInfo.InvariantCulture)),
        CelKind.Uint => CelValue.String(value.AsUint.ToString(CultureInfo.InvariantCulture)),
        CelKind.Double => CelValue.String(value.AsDouble.ToString("R", CultureInfo.InvariantCulture)),
        CelKind.Bool => CelValue.String(value.AsBool ? "true" : "false"),
        _ => CelValue.Error($"no such overload: string({value.TypeName})"),
    };

    private static CelValue Range(string type, CelValue value) => CelValue.Error($"{value} is out of the range of {type}");

    private static string Quote(string text) => "\"" + (text.Length > 40 ? text[..40] + "…" : text) + "\"";
}
