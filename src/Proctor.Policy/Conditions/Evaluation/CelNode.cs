namespace Proctor.Policy.Conditions.Evaluation;

/// <summary>
/// One compiled step of a condition. The tree is built once when the policy loads; evaluating it
/// allocates nothing unless the expression itself builds a list, a map or a string.
/// </summary>
internal abstract class CelNode
{
    public abstract CelValue Eval(EvalContext context);
}

internal sealed class ConstantNode(CelValue value) : CelNode
{
    public CelValue Value { get; } = value;

    public override CelValue Eval(EvalContext context) => Value;
}

internal sealed class ArgsNode : CelNode
{
    public override CelValue Eval(EvalContext context) => context.Args;
}

internal sealed class SlotNode(int slot) : CelNode
{
    public override CelValue Eval(EvalContext context) => context.Slots[slot];
}

/// <summary><c>operand.field</c> on a map; a missing key is an error, as in CEL (test with <c>has()</c>).</summary>
internal sealed class SelectNode(CelNode operand, string field) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var value = operand.Eval(context);
        if (value.Kind == CelKind.Map)
        {
            return CelMaps.TryGet(value, field, out var found) ? found : CelValue.Error($"no such key: '{field}'");
        }

        return value.IsError ? value : CelValue.Error($"cannot select '{field}' from a value of type {value.TypeName}");
    }
}

/// <summary><c>has(operand.field)</c>: whether a map holds the key (even with a null value).</summary>
internal sealed class HasNode(CelNode operand, string field) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var value = operand.Eval(context);
        if (value.Kind == CelKind.Map)
        {
            return CelValue.Bool(CelMaps.TryGet(value, field, out _));
        }

        return value.IsError ? value : CelValue.Error($"has() cannot test '{field}' on a value of type {value.TypeName}");
    }
}

internal sealed class IndexNode(CelNode operand, CelNode index) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var container = operand.Eval(context);
        var key = index.Eval(context);
        if (container.IsError)
        {
            return container;
        }

        if (key.IsError)
        {
            return key;
        }

        switch (container.Kind)
        {
            case CelKind.List:
                long at;
                if (key.Kind == CelKind.Int)
                {
                    at = key.AsInt;
                }
                else if (key.Kind == CelKind.Uint && key.AsUint <= int.MaxValue)
                {
                    at = (long)key.AsUint;
                }
                else if (key.Kind == CelKind.Double && Math.Truncate(key.AsDouble) == key.AsDouble && Math.Abs(key.AsDouble) <= int.MaxValue)
                {
                    at = (long)key.AsDouble;
                }
                else
                {
                    return CelValue.Error($"a list index must be an integer, not {key.TypeName}");
                }

                var count = CelLists.Count(container);
                return at >= 0 && at < count ? CelLists.At(container, (int)at) : CelValue.Error($"index {at} is outside the list (size {count})");
            case CelKind.Map:
                return CelMaps.TryGet(container, key, out var value) ? value : CelValue.Error($"no such key: {key}");
            default:
                return CelValue.Error($"cannot index a value of type {container.TypeName}");
        }
    }
}

internal sealed class ListNode(CelNode[] items) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        if (!context.Spend(1 + items.Length))
        {
            return context.OverBudget();
        }

        var values = new CelValue[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            var value = items[i].Eval(context);
            if (value.IsError)
            {
                return value;
            }

            values[i] = value;
        }

        return CelValue.List(values);
    }
}

internal sealed class MapNode(CelNode[] keys, CelNode[] values) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        if (!context.Spend(1 + (keys.Length * keys.Length)))
        {
            return context.OverBudget();
        }

        var keyValues = new CelValue[keys.Length];
        var valueValues = new CelValue[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i].Eval(context);
            if (key.IsError)
            {
                return key;
            }

            if (key.Kind is not (CelKind.String or CelKind.Int or CelKind.Uint or CelKind.Bool))
            {
                return CelValue.Error($"a map key must be a string, int, uint or bool, not {key.TypeName}");
            }

            for (var j = 0; j < i; j++)
            {
                if (CelOperators.Equal(keyValues[j], key))
                {
                    return CelValue.Error($"the map literal repeats the key {key}");
                }
            }

            var value = values[i].Eval(context);
            if (value.IsError)
            {
                return value;
            }

            keyValues[i] = key;
            valueValues[i] = value;
        }

        return CelValue.Map(new CelMap(keyValues, valueValues));
    }
}
