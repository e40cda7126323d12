namespace Proctor.Policy.Conditions.Checking;

/// <summary>
/// What the checker knows of an expression's type before any call: enough to refuse
/// <c>caller.groups > 3</c> or <c>'a' - 1</c> at load. <see cref="Dyn"/> (anything read from
/// <c>args</c>) is checked when the call comes.
/// </summary>
internal enum StaticType
{
    Dyn,
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    List,
    Map,
}

internal static class StaticTypes
{
    public static string Name(StaticType type) => type switch
    {
        StaticType.Dyn => "dyn",
        StaticType.Null => "null",
        StaticType.Bool => "bool",
        StaticType.Int => "int",
        StaticType.Uint => "uint",
        StaticType.Double => "double",
        StaticType.String => "string",
        StaticType.List => "list",
        _ => "map",
    };

    public static StaticType Of(CelValue value) => value.Kind switch
    {
        CelKind.Null => StaticType.Null,
        CelKind.Bool => StaticType.Bool,
        CelKind.Int => StaticType.Int,
        CelKind.Uint => StaticType.Uint,
        CelKind.Double => StaticType.Double,
        CelKind.String => StaticType.String,
        CelKind.List => StaticType.List,
        CelKind.Map => StaticType.Map,
        _ => StaticType.Dyn,
    };

    public static bool IsNumber(StaticType type) => type is StaticType.Int or StaticType.Uint or StaticType.Double;

    /// <summary>Whether a value of <paramref name="type"/> could be one of <paramref name="allowed"/>.</summary>
    public static bool Admits(StaticType type, params ReadOnlySpan<StaticType> allowed)
    {
        if (type == StaticType.Dyn)
        {
            return true;
        }

        foreach (var candidate in allowed)
        {
            if (candidate == type)
            {
                return true;
            }
        }

        return false;
    }
}
