using System.Text.Json.Nodes;

namespace Proctor.Policy.Conditions;

internal enum CelKind : byte
{
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    List,
    Map,
    Error,
}

/// <summary>
/// One CEL value, without boxing: numbers and booleans live in <see cref="_bits"/>; strings, lists,
/// maps and error messages in <see cref="_ref"/>. A list is a <see cref="JsonArray"/> (from the call's
/// arguments) or a <see cref="CelValue"/>[] (a literal or a macro's result); a map is a
/// <see cref="JsonObject"/> or a <see cref="CelMap"/>. Errors are values, as in CEL: <c>false &amp;&amp; error</c>
/// is false, so an error must travel until an operator decides whether it matters.
/// </summary>
internal readonly struct CelValue
{
    private readonly long _bits;
    private readonly object? _ref;

    private CelValue(CelKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _ref = reference;
    }

    public CelKind Kind { get; }

    public static CelValue Null => default;

    public static readonly CelValue True = new(CelKind.Bool, 1, null);

    public static readonly CelValue False = new(CelKind.Bool, 0, null);

    public bool IsError => Kind == CelKind.Error;

    public bool AsBool => _bits != 0;

    public long AsInt => _bits;

    public ulong AsUint => unchecked((ulong)_bits);

    public double AsDouble => BitConverter.Int64BitsToDouble(_bits);

    public string AsString => (string)_ref!;

    /// <summary>The error's message, for <see cref="CelKind.Error"/>.</summary>
    public string ErrorMessage => (string)_ref!;

    public object Reference => _ref!;

    public static CelValue Bool(bool value) => value ? True : False;

    public static CelValue Int(long value) => new(CelKind.Int, value, null);

    public static CelValue Uint(ulong value) => new(CelKind.Uint, unchecked((long)value), null);

    public static CelValue Double(double value) => new(CelKind.Double, BitConverter.DoubleToInt64Bits(value), null);

    public static CelValue String(string value) => new(CelKind.String, 0, value);

    public static CelValue List(CelValue[] items) => new(CelKind.List, 0, items);

    public static CelValue List(JsonArray items) => new(CelKind.List, 0, items);

    public static CelValue Map(CelMap map) => new(CelKind.Map, 0, map);

    public static CelValue Map(JsonObject map) => new(CelKind.Map, 0, map);

    public static CelValue Error(string message) => new(CelKind.Error, 0, message);

    /// <summary>
    /// A JSON value as CEL sees it: an integer written without fraction or exponent that fits 64 bits
    /// is an <c>int</c>, every other number a <c>double</c>; objects are maps, arrays lists.
    /// </summary>
    public static CelValue FromJson(JsonNode? node)
    {
        switch (node)
        {
            case null:
                return Null;
            case JsonObject map:
                return Map(map);
            case JsonArray list:
                return List(list);
        }

        var value = node.AsValue();
        switch (value.GetValueKind())
        {
            case System.Text.Json.JsonValueKind.String:
                return String(value.GetValue<string>());
            case System.Text.Json.JsonValueKind.True:
                return True;
            case System.Text.Json.JsonValueKind.False:
                return False;
            case System.Text.Json.JsonValueKind.Number:
                return FromJsonNumber(value);
            case System.Text.Json.JsonValueKind.Null:
                return Null;
            default:
                return Error("the argument holds a value that is not JSON");
        }
    }

    private static CelValue FromJsonNumber(JsonValue value)
    {
        // Parsed JSON answers TryGetValue<long> only for integers written without fraction or
        // exponent; values the host built from CLR numbers answer for their own type only.
        if (value.TryGetValue<long>(out var whole))
        {
            return Int(whole);
        }

        if (value.TryGetValue<int>(out var small))
        {
            return Int(small);
        }

        if (value.TryGetValue<double>(out var real))
        {
            return Double(real);
        }

        if (value.TryGetValue<decimal>(out var exact))
        {
            return decimal.Truncate(exact) == exact && exact is >= long.MinValue and <= long.MaxValue ? Int((long)exact) : Double((double)exact);
        }

        if (value.TryGetValue<ulong>(out var large))
        {
            return large <= long.MaxValue ? Int((long)large) : Double(large);
        }

        return value.TryGetValue<float>(out var single) ? Double(single) : Error("the argument holds a number CEL cannot represent");
    }

    /// <summary>The CEL type name, as messages show it.</summary>
    public string TypeName => Kind switch
    {
        CelKind.Null => "null",
        CelKind.Bool => "bool",
        CelKind.Int => "int",
        CelKind.Uint => "uint",
        CelKind.Double => "double",
        CelKind.String => "string",
        CelKind.List => "list",
        CelKind.Map => "map",
        _ => "error",
    };

    public override string ToString() => Kind switch
    {
        CelKind.Null => "null",
        CelKind.Bool => AsBool ? "true" : "false",
        CelKind.Int => AsInt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CelKind.Uint => AsUint.ToString(System.Globalization.CultureInfo.InvariantCulture) + "u",
        CelKind.Double => AsDouble.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        CelKind.String => "\"" + AsString + "\"",
        CelKind.List => "[" + string.Join(", ", CelLists.Items(this)) + "]",
        CelKind.Map => "{" + string.Join(", ", CelMaps.Entries(this).Select(e => e.Key + ": " + e.Value)) + "}",
        _ => "error: " + ErrorMessage,
    };
}

/// <summary>A map literal's entries, in the order written (maps in conditions are small).</summary>
internal sealed class CelMap(CelValue[] keys, CelValue[] values)
{
    public CelValue[] Keys { get; } = keys;

    public CelValue[] Values { get; } = values;
}
