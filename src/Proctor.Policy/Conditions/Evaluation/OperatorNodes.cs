namespace Proctor.Policy.Conditions.Evaluation;

internal sealed class NotNode(CelNode operand) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var value = operand.Eval(context);
        return value.Kind switch
        {
            CelKind.Bool => CelValue.Bool(!value.AsBool),
            CelKind.Error => value,
            _ => CelValue.Error($"no such overload: !{value.TypeName}"),
        };
    }
}

internal sealed class NegateNode(CelNode operand) : CelNode
{
    public override CelValue Eval(EvalContext context) => CelOperators.Negate(operand.Eval(context));
}

/// <summary>
/// CEL's commutative <c>&amp;&amp;</c>: false if either side is false, even when the other is an error;
/// an error only when no side is false and one is an error.
/// </summary>
internal sealed class AndNode(CelNode left, CelNode right) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var a = left.Eval(context);
        if (a.Kind == CelKind.Bool && !a.AsBool)
        {
            return a;
        }

        var b = right.Eval(context);
        if (b.Kind == CelKind.Bool && !b.AsBool)
        {
            return b;
        }

        return Logical.Combine(a, b, "&&");
    }
}

/// <summary>CEL's commutative <c>||</c>: true if either side is true, even when the other is an error.</summary>
internal sealed class OrNode(CelNode left, CelNode right) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var a = left.Eval(context);
        if (a.Kind == CelKind.Bool && a.AsBool)
        {
            return a;
        }

        var b = right.Eval(context);
        if (b.Kind == CelKind.Bool && b.AsBool)
        {
            return b;
        }

        return Logical.Combine(a, b, "||");
    }
}

internal static class Logical
{
    /// <summary>Neither side decided the result: both must be booleans (then they are equal), else the first problem.</summary>
    public static CelValue Combine(CelValue a, CelValue b, string op)
    {
        if (a.IsError)
        {
            return a;
        }

        if (b.IsError)
        {
            return b;
        }

        return a.Kind == CelKind.Bool && b.Kind == CelKind.Bool ? a : CelOperators.NoOverload(op, a, b);
    }
}

internal sealed class ConditionalNode(CelNode condition, CelNode whenTrue, CelNode whenFalse) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var test = condition.Eval(context);
        return test.Kind switch
        {
            CelKind.Bool => test.AsBool ? whenTrue.Eval(context) : whenFalse.Eval(context),
            CelKind.Error => test,
            _ => CelValue.Error($"the condition of '?' must be true or false, not {test.TypeName}"),
        };
    }
}

internal sealed class EqualsNode(CelNode left, CelNode right, bool negate) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var a = left.Eval(context);
        if (a.IsError)
        {
            return a;
        }

        var b = right.Eval(context);
        if (b.IsError)
        {
            return b;
        }

        if ((a.Kind is CelKind.List or CelKind.Map) && !context.Spend(1 + (a.Kind == CelKind.List ? CelLists.Count(a) : CelMaps.Count(a))))
        {
            return context.OverBudget();
        }

        return CelValue.Bool(CelOperators.Equal(a, b) != negate);
    }
}

internal enum Relation
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

internal sealed class CompareNode(CelNode left, CelNode right, Relation relation) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var a = left.Eval(context);
        var b = right.Eval(context);
        var comparable = CelOperators.Compare(a, b, out var order);
        if (comparable.Kind != CelKind.Bool)
        {
            return comparable;
        }

        if (!comparable.AsBool)
        {
            return CelValue.False;
        }

        return CelValue.Bool(relation switch
        {
            Relation.Less => order < 0,
            Relation.LessOrEqual => order <= 0,
            Relation.Greater => order > 0,
            _ => order >= 0,
        });
    }
}

internal enum Arithmetic
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
}

internal sealed class ArithmeticNode(CelNode left, CelNode right, Arithmetic operation) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var a = left.Eval(context);
        if (a.IsError)
        {
            return a;
        }

        var b = right.Eval(context);
        return operation switch
        {
            Arithmetic.Add => CelOperators.Add(a, b, context),
            Arithmetic.Subtract => CelOperators.Subtract(a, b),
            Arithmetic.Multiply => CelOperators.Multiply(a, b),
            Arithmetic.Divide => CelOperators.Divide(a, b),
            _ => CelOperators.Modulo(a, b),
        };
    }
}

internal sealed class InNode(CelNode item, CelNode container) : CelNode
{
    public override CelValue Eval(EvalContext context) => CelOperators.In(item.Eval(context), container.Eval(context), context);
}
