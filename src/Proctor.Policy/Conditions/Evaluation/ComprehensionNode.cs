using Proctor.Policy.Conditions.Syntax;

namespace Proctor.Policy.Conditions.Evaluation;

/// <summary>
/// The macros as loops over a list (its items) or a map (its keys). Each step spends one unit of the
/// budget. <c>all</c> is false as soon as one item fails, even if another gave an error (and
/// <c>exists</c> true as soon as one holds), as CEL's logical operators absorb errors.
/// </summary>
internal sealed class ComprehensionNode(MacroKind kind, CelNode range, int slot, CelNode? predicate, CelNode? transform) : CelNode
{
    public override CelValue Eval(EvalContext context)
    {
        var source = range.Eval(context);
        if (source.Kind is not (CelKind.List or CelKind.Map))
        {
            return source.IsError ? source : CelValue.Error($"{Name}() needs a list or a map, not {source.TypeName}");
        }

        var isList = source.Kind == CelKind.List;
        var count = isList ? CelLists.Count(source) : CelMaps.Count(source);
        return kind switch
        {
            MacroKind.All => Quantify(context, source, isList, count, stopOn: false),
            MacroKind.Exists => Quantify(context, source, isList, count, stopOn: true),
            MacroKind.ExistsOne => ExactlyOne(context, source, isList, count),
            _ => Collect(context, source, isList, count),
        };
    }

    private string Name => kind switch
    {
        MacroKind.All => "all",
        MacroKind.Exists => "exists",
        MacroKind.ExistsOne => "exists_one",
        MacroKind.Map => "map",
        _ => "filter",
    };

    private CelValue Quantify(EvalContext context, CelValue source, bool isList, int count, bool stopOn)
    {
        CelValue? error = null;
        for (var i = 0; i < count; i++)
        {
            if (!context.Spend(1))
            {
                return context.OverBudget();
            }

            context.Slots[slot] = isList ? CelLists.At(source, i) : CelMaps.KeyAt(source, i);
            var result = predicate!.Eval(context);
            if (result.Kind == CelKind.Bool)
            {
                if (result.AsBool == stopOn)
                {
                    return result;
                }
            }
            else
            {
                error ??= result.IsError ? result : CelValue.Error($"the predicate of {Name}() must be true or false, not {result.TypeName}");
            }
        }

        return error ?? CelValue.Bool(!stopOn);
    }

    private CelValue ExactlyOne(EvalContext context, CelValue source, bool isList, int count)
    {
        var found = 0;
        for (var i = 0; i < count; i++)
        {
            if (!context.Spend(1))
            {
                return context.OverBudget();
            }

            context.Slots[slot] = isList ? CelLists.At(source, i) : CelMaps.KeyAt(source, i);
            var result = predicate!.Eval(context);
            if (result.Kind != CelKind.Bool)
            {
                return result.IsError ? result : CelValue.Error($"the predicate of exists_one() must be true or false, not {result.TypeName}");
            }

            if (result.AsBool)
            {
                found++;
            }
        }

        return CelValue.Bool(found == 1);
    }

    private CelValue Collect(EvalContext context, CelValue source, bool isList, int count)
    {
        var items = new List<CelValue>();
        for (var i = 0; i < count; i++)
        {
            if (!context.Spend(1))
            {
                return context.OverBudget();
            }

            var item = isList ? CelLists.At(source, i) : CelMaps.KeyAt(source, i);
            context.Slots[slot] = item;
            if (predicate is not null)
            {
                var keep = predicate.Eval(context);
                if (keep.Kind != CelKind.Bool)
                {
                    return keep.IsError ? keep : CelValue.Error($"the predicate of {Name}() must be true or false, not {keep.TypeName}");
                }

                if (!keep.AsBool)
                {
                    continue;
                }
            }

            var value = transform is null ? item : transform.Eval(context);
            if (value.IsError)
            {
                return value;
            }

            items.Add(value);
        }

        return CelValue.List([.. items]);
    }
}
