using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Masking.Schemas;

/// <summary>
/// The keywords that judge a single value: its type, and what a string or a literal must be. Masking
/// turns strings (and numbers) into marked strings, so these are the keywords it can break.
/// Numeric bounds stay: they ignore strings.
/// </summary>
internal static class ValueKeywords
{
    private static readonly string[] Judging = ["type", "enum", "const", "format", "pattern", "minLength", "maxLength"];
    private static readonly string[] NumberBounds = ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"];

    /// <summary>
    /// Positive polarity: where masking may turn an accepted value into a marked string the keywords
    /// refuse, they become <c>anyOf: [the keywords, a marked string]</c>. The original value still
    /// validates (a caller who sees it unmasked), and so does any masked one.
    /// </summary>
    public static void Loosen(JsonObject schema, string? holder, MaskingReach reach)
    {
        if (!RefusesSomeMarkedString(schema))
        {
            return;
        }

        var strings = TypeAllows(schema, "string") && AdmitsLiteral(schema, JsonValueKind.String) && LiteralsMayChange(schema, JsonValueKind.String, holder, reach);
        var numbers = TypeAllows(schema, "number", "integer") && AdmitsLiteral(schema, JsonValueKind.Number) && NumbersMayChange(schema, holder, reach);
        var composite = Literals(schema).Any(l => l is JsonObject or JsonArray && !reach.LiteralStable(l));
        if (!strings && !numbers && !composite)
        {
            return;
        }

        var kept = new JsonObject();
        foreach (var keyword in Judging)
        {
            if (!schema.TryGetPropertyValue(keyword, out var value))
            {
                continue;
            }

            schema.Remove(keyword);
            if (!(composite && keyword is "enum" or "const"))
            {
                kept[keyword] = value; // an object literal masked inside is no longer equal to anything listed
            }
        }
        Combine.AnyOf(schema, [kept, MaskMark.Schema()]);
    }

    /// <summary>
    /// Negative polarity (under <c>not</c>): a marked string could satisfy the keywords where the value
    /// before masking did not (a number refused by <c>maximum</c>, a string refused by its
    /// <c>pattern</c>), so marked strings are refused here.
    /// </summary>
    public static void Tighten(JsonObject schema)
    {
        if (!Judging.Concat(NumberBounds).Any(schema.ContainsKey))
        {
            return;
        }

        if (!TypeAllows(schema, "string") || (HasLiterals(schema) && !Literals(schema).Any(l => IsString(l) && MaskMark.IsIn(l!.GetValue<string>()))))
        {
            return;
        }

        if (schema.ContainsKey("not"))
        {
            Combine.AllOf(schema, new JsonObject { ["not"] = MaskMark.Schema() });
        }
        else
        {
            schema["not"] = MaskMark.Schema();
        }
    }

    /// <summary>Whether masking can change a value this schema accepts, at the place held by <paramref name="holder"/>.</summary>
    public static bool MayChange(JsonNode? schema, string? holder, MaskingReach reach)
    {
        if (schema is JsonValue value && value.GetValueKind() == JsonValueKind.False)
        {
            return false;
        }

        if (schema is not JsonObject obj)
        {
            return true;
        }

        if (obj.ContainsKey("type") && !TypeAllows(obj, "string", "number", "integer", "object", "array"))
        {
            return false; // booleans and null only
        }

        return !HasLiterals(obj) || reach.RuleReaches(holder) || !Literals(obj).All(reach.LiteralStable);
    }

    private static bool RefusesSomeMarkedString(JsonObject schema) =>
        !TypeAllows(schema, "string") || schema.ContainsKey("format") || schema.ContainsKey("pattern")
        || schema.ContainsKey("minLength") || schema.ContainsKey("maxLength") || HasLiterals(schema);

    private static bool LiteralsMayChange(JsonObject schema, JsonValueKind kind, string? holder, MaskingReach reach) =>
        reach.RuleReaches(holder) || !HasLiterals(schema) || Literals(schema).Any(l => Kind(l) == kind && !reach.LiteralStable(l));

    private static bool NumbersMayChange(JsonObject schema, string? holder, MaskingReach reach) =>
        HasLiterals(schema) ? LiteralsMayChange(schema, JsonValueKind.Number, holder, reach) : reach.RuleReaches(holder) || !ShortIntegersOnly(schema, reach);

    /// <summary>Integers bounded so tightly that no detector can match them (<see cref="MaskingReach.ShortIntegerBound"/>).</summary>
    private static bool ShortIntegersOnly(JsonObject schema, MaskingReach reach)
    {
        if (reach.MatchesAnything || !schema.ContainsKey("type") || TypeAllows(schema, "number"))
        {
            return false;
        }

        var lower = Bound(schema, "minimum") ?? Bound(schema, "exclusiveMinimum");
        var upper = Bound(schema, "maximum") ?? Bound(schema, "exclusiveMaximum");
        return lower >= -MaskingReach.ShortIntegerBound && upper <= MaskingReach.ShortIntegerBound;
    }

    private static decimal? Bound(JsonObject schema, string keyword) =>
        schema[keyword] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && decimal.TryParse(v.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? d : null;

    /// <summary>Whether the type keyword (if any) allows one of <paramref name="kinds"/>; no type allows all.</summary>
    private static bool TypeAllows(JsonObject schema, params string[] kinds) => schema["type"] switch
    {
        null => true,
        JsonArray types => types.Any(t => t is JsonValue v && v.TryGetValue<string>(out var k) && kinds.Contains(k)),
        JsonValue one => one.TryGetValue<string>(out var k) && kinds.Contains(k),
        _ => true,
    };

    /// <summary>Without enum or const every kind is admitted; with them, only the kinds listed.</summary>
    private static bool AdmitsLiteral(JsonObject schema, JsonValueKind kind) => !HasLiterals(schema) || Literals(schema).Any(l => Kind(l) == kind);

    private static bool HasLiterals(JsonObject schema) => schema.ContainsKey("enum") || schema.ContainsKey("const");

    private static IEnumerable<JsonNode?> Literals(JsonObject schema)
    {
        if (schema["enum"] is JsonArray members)
        {
            foreach (var member in members)
            {
                yield return member;
            }
        }

        if (schema.TryGetPropertyValue("const", out var constant))
        {
            yield return constant;
        }
    }

    private static JsonValueKind Kind(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    private static bool IsString(JsonNode? node) => Kind(node) == JsonValueKind.String;
}
