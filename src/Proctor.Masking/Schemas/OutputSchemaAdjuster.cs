using System.Text.Json.Nodes;

namespace Proctor.Masking.Schemas;

/// <summary>
/// Rewrites a tool's <c>outputSchema</c> so that every result masking can produce from a valid result
/// still validates (decision 0014). Two rewrites, proved by induction over the schema:
/// <list type="bullet">
/// <item>where a value must hold (positive polarity), the schema S becomes S', and x valid under S means
/// mask(x) valid under S': wherever masking may turn a value into a marked string that S would
/// refuse, the value keywords become <c>anyOf: [those keywords, a marked string]</c>;</item>
/// <item>under <c>not</c> (negative polarity) the schema is tightened instead: mask(x) valid under S'
/// means x valid under S, so <c>not S'</c> keeps holding after masking.</item>
/// </list>
/// Keywords that mix both (<c>if</c>, <c>oneOf</c>, <c>maxContains</c>) keep their form when their
/// subschemas are invariant (both rewrites leave them unchanged), and are otherwise replaced by a
/// form that is sound for the polarity. Nothing else is touched: booleans, nulls and the structure of
/// objects and arrays never change under masking, so their keywords stay as the upstream wrote them.
/// </summary>
internal sealed class OutputSchemaAdjuster(MaskingReach reach)
{
    // Invariance checks visit if/oneOf subschemas again in both polarities, so nesting multiplies work;
    // a real tool's schema visits a few hundred nodes. Past this the schema is not advertised at all.
    private const int MaxVisits = 20_000;

    private int _visits;

    /// <summary>The adjusted copy, or null when the schema is too large or deep to adjust: advertise none then.</summary>
    public JsonNode? Adjust(JsonNode schema)
    {
        try
        {
            var adjusted = Visit(schema, positive: true, holder: "structuredContent");
            SchemaRefs.DropUnresolvable(adjusted);
            return adjusted;
        }
        catch (TooComplexException)
        {
            return null;
        }
    }

    /// <param name="holder">The name of the field holding the value the schema describes (its masking context); null when the schema does not fix it.</param>
    private JsonNode? Visit(JsonNode? node, bool positive, string? holder)
    {
        if (++_visits > MaxVisits)
        {
            throw new TooComplexException();
        }

        if (node is not JsonObject schema)
        {
            return node?.DeepClone(); // true, false (or not a schema: left for the client to judge)
        }

        if (!positive && SchemaRefs.HasRef(schema))
        {
            return false; // the target is adjusted for positive use only; false under not is sound
        }

        var copy = new JsonObject();
        foreach (var (keyword, value) in schema)
        {
            copy[keyword] = Child(keyword, value, positive, holder);
        }

        Conditional(schema, copy, positive, holder);
        if (!OneOf(schema, copy, positive, holder) || !Contains(schema, copy, positive, holder))
        {
            return false;
        }

        ObjectKeywords.Adjust(copy, positive, reach);
        if (positive)
        {
            SchemaRefs.DropExternal(copy);
            if (copy["uniqueItems"] is JsonValue unique && unique.GetValueKind() == System.Text.Json.JsonValueKind.True && ItemsMayChange(schema, holder))
            {
                copy.Remove("uniqueItems"); // masking may make two items equal ("[SSN]", "[SSN]")
            }

            ValueKeywords.Loosen(copy, holder, reach);
        }
        else
        {
            ValueKeywords.Tighten(copy);
        }

        return copy;
    }

    private JsonNode? Child(string keyword, JsonNode? value, bool positive, string? holder) => keyword switch
    {
        "properties" => Map(value, (name, sub) => Visit(sub, positive, name)),
        "patternProperties" => Map(value, (_, sub) => Visit(sub, positive, null)),
        "$defs" or "definitions" => Map(value, (_, sub) => Visit(sub, positive: true, null)), // reached through $ref from positive places only
        "dependentSchemas" or "dependencies" => Map(value, (_, sub) => sub is JsonArray ? sub.DeepClone() : Visit(sub, positive, holder)),
        "additionalProperties" or "unevaluatedProperties" or "propertyNames" => Visit(value, positive, null),
        "items" or "prefixItems" or "allOf" or "anyOf" or "oneOf" => value is JsonArray list ? Each(list, sub => Visit(sub, positive, holder)) : Visit(value, positive, holder),
        "additionalItems" or "unevaluatedItems" or "contains" or "then" or "else" => Visit(value, positive, holder),
        "not" => Visit(value, !positive, holder),
        _ => value?.DeepClone(), // if (decided in Conditional), annotations, and keywords masking cannot affect
    };

    /// <summary>if/then/else: kept when the condition is invariant; otherwise the branches without the condition's choice.</summary>
    private void Conditional(JsonObject schema, JsonObject copy, bool positive, string? holder)
    {
        if (!schema.TryGetPropertyValue("if", out var condition) || IsInvariant(condition, holder))
        {
            return;
        }

        copy.Remove("if");
        var then = Detach(copy, "then") ?? true;
        var otherwise = Detach(copy, "else") ?? true;
        if (positive)
        {
            Combine.AnyOf(copy, [new JsonObject { ["allOf"] = new JsonArray(Visit(condition, positive: true, holder), then) }, otherwise]);
        }
        else
        {
            Combine.AllOf(copy, then, otherwise); // valid under both branches: valid whichever the condition chose
        }
    }

    /// <summary>oneOf: kept when every branch is invariant; otherwise anyOf (positive) or false (negative). False means "refuse".</summary>
    private bool OneOf(JsonObject schema, JsonObject copy, bool positive, string? holder)
    {
        if (schema["oneOf"] is not JsonArray branches || branches.All(b => IsInvariant(b, holder)))
        {
            return true;
        }

        if (!positive)
        {
            return false;
        }

        Combine.AnyOf(copy, [.. ((JsonArray)Detach(copy, "oneOf")!).Select(b => b?.DeepClone())]);
        return true;
    }

    /// <summary>maxContains counts items matching contains; a loosened contains may match more. False means "refuse".</summary>
    private bool Contains(JsonObject schema, JsonObject copy, bool positive, string? holder)
    {
        if (!schema.ContainsKey("maxContains") || !schema.TryGetPropertyValue("contains", out var contains) || IsInvariant(contains, holder))
        {
            return true;
        }

        if (!positive)
        {
            return false;
        }

        copy.Remove("maxContains");
        return true;
    }

    private bool ItemsMayChange(JsonObject schema, string? holder)
    {
        if (schema["items"] is not { } items || items is JsonArray)
        {
            return true;
        }

        if (ValueKeywords.MayChange(items, holder, reach))
        {
            return true;
        }

        return schema["prefixItems"] is JsonArray prefix && prefix.Any(p => ValueKeywords.MayChange(p, holder, reach));
    }

    /// <summary>Both rewrites leave it as it is, so masking never moves a value into or out of it.</summary>
    private bool IsInvariant(JsonNode? schema, string? holder) =>
        JsonNode.DeepEquals(schema, Visit(schema, positive: true, holder)) && JsonNode.DeepEquals(schema, Visit(schema, positive: false, holder));

    private static JsonNode? Detach(JsonObject schema, string keyword)
    {
        if (!schema.TryGetPropertyValue(keyword, out var value))
        {
            return null;
        }

        schema.Remove(keyword);
        return value;
    }

    private static JsonNode? Map(JsonNode? value, Func<string, JsonNode?, JsonNode?> visit)
    {
        if (value is not JsonObject map)
        {
            return value?.DeepClone();
        }

        var copy = new JsonObject();
        foreach (var (name, sub) in map)
        {
            copy[name] = visit(name, sub);
        }

        return copy;
    }

    private static JsonArray Each(JsonArray list, Func<JsonNode?, JsonNode?> visit)
    {
        var copy = new JsonArray();
        foreach (var sub in list)
        {
            copy.Add(visit(sub));
        }

        return copy;
    }

    private sealed class TooComplexException : Exception;
}
