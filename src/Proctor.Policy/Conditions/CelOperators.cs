namespace Proctor.Policy.Conditions;

/// <summary>
/// CEL's equality, ordering and arithmetic. Numbers of different types compare as on one number line
/// (<c>1 == 1.0</c>, <c>1u &lt; 2</c>); arithmetic needs operands of one type, as in CEL; integer overflow
/// and division by zero are errors, never wrapped values.
/// </summary>
internal static class CelOperators
{
    /// <summary>Heterogeneous equality: values of different kinds are unequal, never an error.</summary>
    public static bool Equal(CelValue a, CelValue b)
    {
        if (IsNumber(a.Kind) && IsNumber(b.Kind))
        {
            return CompareNumbers(a, b) == 0;
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        switch (a.Kind)
        {
            case CelKind.Null:
                return true;
            case CelKind.Bool:
                return a.AsBool == b.AsBool;
            case CelKind.String:
                return string.Equals(a.AsString, b.AsString, StringComparison.Ordinal);
            case CelKind.List:
                var count = CelLists.Count(a);
                if (count != CelLists.Count(b))
                {
                    return false;
                }

                for (var i = 0; i < count; i++)
                {
                    if (!Equal(CelLists.At(a, i), CelLists.At(b, i)))
                    {
                        return false;
                    }
                }

                return true;
            case CelKind.Map:
                var size = CelMaps.Count(a);
                if (size != CelMaps.Count(b))
                {
                    return false;
                }

                for (var i = 0; i < size; i++)
                {
                    var key = CelMaps.KeyAt(a, i);
                    if (!CelMaps.TryGet(a, key, out var left) || !CelMaps.TryGet(b, key, out var right) || !Equal(left, right))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Ordering: numbers across types, strings by code point, booleans (false first); anything else is an error.</summary>
    public static CelValue Compare(CelValue a, CelValue b, out int order)
    {
        order = 0;
        if (IsNumber(a.Kind) && IsNumber(b.Kind))
        {
            order = CompareNumbers(a, b);
            return order == int.MinValue ? CelValue.False : CelValue.True;
        }

        if (a.Kind == b.Kind && a.Kind == CelKind.String)
        {
            order = CompareCodePoints(a.AsString, b.AsString);
            return CelValue.True;
        }

        if (a.Kind == b.Kind && a.Kind == CelKind.Bool)
        {
            order = a.AsBool.CompareTo(b.AsBool);
            return CelValue.True;
        }

        return NoOverload("compare", a, b);
    }

    public static bool IsNumber(CelKind kind) => kind is CelKind.Int or CelKind.Uint or CelKind.Double;

    /// <summary>-1, 0, 1, or <see cref="int.MinValue"/> when either side is NaN (every comparison with NaN is false).</summary>
    private static int CompareNumbers(CelValue a, CelValue b)
    {
        if (a.Kind == b.Kind)
        {
            return a.Kind switch
            {
                CelKind.Int => a.AsInt.CompareTo(b.AsInt),
                CelKind.Uint => a.AsUint.CompareTo(b.AsUint),
                _ => double.IsNaN(a.AsDouble) || double.IsNaN(b.AsDouble) ? int.MinValue : a.AsDouble.CompareTo(b.AsDouble),
            };
        }

        if (a.Kind == CelKind.Double || b.Kind == CelKind.Double)
        {
            var flip = a.Kind != CelKind.Double;
            var real = flip ? b.AsDouble : a.AsDouble;
            var other = flip ? a : b;
            if (double.IsNaN(real))
            {
                return int.MinValue;
            }

            var order = CompareDoubleWithInteger(real, other);
            return flip ? -order : order;
        }

        // int against uint
        if (a.Kind == CelKind.Int)
        {
            return a.AsInt < 0 ? -1 : ((ulong)a.AsInt).CompareTo(b.AsUint);
        }

        return b.AsInt < 0 ? 1 : a.AsUint.CompareTo((ulong)b.AsInt);
    }

    /// <summary>Exact comparison: converting a large integer to double would round it.</summary>
    private static int CompareDoubleWithInteger(double real, CelValue integer)
    {
        if (integer.Kind == CelKind.Int)
        {
            if (real < -9.2233720368547758E18)
            {
                return -1;
            }

            if (real >= 9.2233720368547758E18)
            {
                return 1;
            }

            var truncated = (long)Math.Truncate(real);
            var order = truncated.CompareTo(integer.AsInt);
            return order != 0 ? order : real.CompareTo(Math.Truncate(real));
        }

        if (real < 0)
        {
            return -1;
        }

        if (real >= 1.8446744073709552E19)
        {
            return 1;
        }

        var whole = (ulong)Math.Truncate(real);
        var byWhole = whole.CompareTo(integer.AsUint);
        return byWhole != 0 ? byWhole : real.CompareTo(Math.Truncate(real));
    }

    /// <summary>Strings order by Unicode code point, which UTF-16 ordinal order gets wrong above U+D7FF.</summary>
    public static int CompareCodePoints(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        for (var i = 0; i < length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
            {
                continue;
            }

            if (char.IsSurrogate(x) != char.IsSurrogate(y))
            {
                // A surrogate encodes a code point above U+FFFF: larger than any BMP character.
                return char.IsSurrogate(x) ? 1 : -1;
            }

            return x.CompareTo(y);
        }

        return a.Length.CompareTo(b.Length);
    }

    public static CelValue Add(CelValue a, CelValue b, EvalContext context)
    {
        if (a.Kind != b.Kind)
        {
            return a.IsError ? a : b.IsError ? b : NoOverload("+", a, b);
        }

        switch (a.Kind)
        {
            case CelKind.Int:
                var sum = unchecked(a.AsInt + b.AsInt);
                return ((a.AsInt ^ sum) & (b.AsInt ^ sum)) < 0 ? Overflow("+") : CelValue.Int(sum);
            case CelKind.Uint:
                var total = unchecked(a.AsUint + b.AsUint);
                return total < a.AsUint ? Overflow("+") : CelValue.Uint(total);
            case CelKind.Double:
                return CelValue.Double(a.AsDouble + b.AsDouble);
            case CelKind.String:
                var text = a.AsString;
                var more = b.AsString;
                return context.Spend(1 + ((text.Length + more.Length) / CelBudget.CharactersPerUnit)) ? CelValue.String(text + more) : context.OverBudget();
            case CelKind.List:
                var left = CelLists.Count(a);
                var right = CelLists.Count(b);
                if (!context.Spend(1 + left + right))
                {
                    return context.OverBudget();
                }

                var items = new CelValue[left + right];
                for (var i = 0; i < left; i++)
                {
                    items[i] = CelLists.At(a, i);
                }

                for (var i = 0; i < right; i++)
                {
                    items[left + i] = CelLists.At(b, i);
                }

                return CelValue.List(items);
            default:
                return a.IsError ? a : NoOverload("+", a, b);
        }
    }

    public static CelValue Subtract(CelValue a, CelValue b)
    {
        if (a.Kind != b.Kind)
        {
            return a.IsError ? a : b.IsError ? b : NoOverload("-", a, b);
        }

        switch (a.Kind)
        {
            case CelKind.Int:
                var difference = unchecked(a.AsInt - b.AsInt);
                return ((a.AsInt ^ b.AsInt) & (a.AsInt ^ difference)) < 0 ? Overflow("-") : CelValue.Int(difference);
            case CelKind.Uint:
                return a.AsUint < b.AsUint ? Overflow("-") : CelValue.Uint(a.AsUint - b.AsUint);
            case CelKind.Double:
                return CelValue.Double(a.AsDouble - b.AsDouble);
            default:
                return a.IsError ? a : NoOverload("-", a, b);
        }
    }

    public static CelValue Multiply(CelValue a, CelValue b)
    {
        if (a.Kind != b.Kind)
        {
            return a.IsError ? a : b.IsError ? b : NoOverload("*", a, b);
        }

        switch (a.Kind)
        {
            case CelKind.Int:
                var product = (Int128)a.AsInt * b.AsInt;
                return product > long.MaxValue || product < long.MinValue ? Overflow("*") : CelValue.Int((long)product);
            case CelKind.Uint:
                var wide = (UInt128)a.AsUint * b.AsUint;
                return wide > ulong.MaxValue ? Overflow("*") : CelValue.Uint((ulong)wide);
            case CelKind.Double:
                return CelValue.Double(a.AsDouble * b.AsDouble);
            default:
                return a.IsError ? a : NoOverload("*", a, b);
        }
    }

    public static CelValue Divide(CelValue a, CelValue b)
    {
        if (a.Kind != b.Kind)
        {
            return a.IsError ? a : b.IsError ? b : NoOverload("/", a, b);
        }

        switch (a.Kind)
        {
            case CelKind.Int:
                if (b.AsInt == 0)
                {
                    return CelValue.Error("division by zero");
                }

                return a.AsInt == long.MinValue && b.AsInt == -1 ? Overflow("/") : CelValue.Int(a.AsInt / b.AsInt);
            case CelKind.Uint:
                return b.AsUint == 0 ? CelValue.Error("division by zero") : CelValue.Uint(a.AsUint / b.AsUint);
            case CelKind.Double:
                return CelValue.Double(a.AsDouble / b.AsDouble);
            default:
                return a.IsError ? a : NoOverload("/", a, b);
        }
    }

    public static CelValue Modulo(CelValue a, CelValue b)
    {
        if (a.Kind != b.Kind)
        {
            return a.IsError ? a : b.IsError ? b : NoOverload("%", a, b);
        }

        switch (a.Kind)
        {
            case CelKind.Int:
                if (b.AsInt == 0)
                {
                    return CelValue.Error("modulus by zero");
                }

                return a.AsInt == long.MinValue && b.AsInt == -1 ? Overflow("%") : CelValue.Int(a.AsInt % b.AsInt);
            case CelKind.Uint:
                return b.AsUint == 0 ? CelValue.Error("modulus by zero") : CelValue.Uint(a.AsUint % b.AsUint);
            default:
                return a.IsError ? a : NoOverload("%", a, b);
        }
    }

    public static CelValue Negate(CelValue a) => a.Kind switch
    {
        CelKind.Int => a.AsInt == long.MinValue ? Overflow("-") : CelValue.Int(-a.AsInt),
        CelKind.Double => CelValue.Double(-a.AsDouble),
        CelKind.Error => a,
        _ => CelValue.Error($"no such overload: -{a.TypeName}"),
    };

    /// <summary><c>x in list</c> (by equality) and <c>key in map</c>.</summary>
    public static CelValue In(CelValue item, CelValue container, EvalContext context)
    {
        if (item.IsError)
        {
            return item;
        }

        switch (container.Kind)
        {
            case CelKind.List:
                var count = CelLists.Count(container);
                if (!context.Spend(1 + count))
                {
                    return context.OverBudget();
                }

                for (var i = 0; i < count; i++)
                {
                    if (Equal(item, CelLists.At(container, i)))
                    {
                        return CelValue.True;
                    }
                }

                return CelValue.False;
            case CelKind.Map:
                return CelValue.Bool(CelMaps.TryGet(container, item, out _));
            case CelKind.Error:
                return container;
            default:
                return CelValue.Error($"no such overload: {item.TypeName} in {container.TypeName}");
        }
    }

    public static CelValue NoOverload(string operation, CelValue a, CelValue b) =>
        a.IsError ? a : b.IsError ? b : CelValue.Error($"no such overload: {a.TypeName} {operation} {b.TypeName}");

    private static CelValue Overflow(string operation) => CelValue.Error($"integer overflow in '{operation}'");

    /// <summary>How many Unicode code points <paramref name="text"/> holds (CEL's size of a string).</summary>
    public static int CodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
