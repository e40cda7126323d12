using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Masking.Schemas;

/// <summary>
/// Member names. Masking may rename a member whose name holds a detectable value (issue 9 asks for
/// keys to be masked); a renamed member's name holds a mark. Declared names that survive masking
/// (<see cref="MaskingReach.LiteralStable"/>, e.g. <c>date_of_birth</c>) are never renamed, so
/// <c>required</c> and <c>properties</c> keep their meaning for them. Masking never adds or drops members.
/// </summary>
internal static class ObjectKeywords
{
    public static void Adjust(JsonObject schema, bool positive, MaskingReach reach)
    {
        var declaredUnstable = schema["properties"] is JsonObject declared && declared.Any(p => !reach.LiteralStable(JsonValue.Create(p.Key)));
        var namesJudged = schema.ContainsKey("patternProperties") || declaredUnstable;
        if (!positive)
        {
            // Under not: a renamed member could slip past what refused the original (its pattern's schema), so marked names are refused.
            if (namesJudged)
            {
                PatternProperties(schema)[MaskMark.Pattern] = false;
            }

            return;
        }

        if (schema["required"] is JsonArray required)
        {
            KeepStable(required, reach);
        }

        if (schema["dependentRequired"] is JsonObject dependent)
        {
            foreach (var (_, names) in dependent)
            {
                if (names is JsonArray list)
                {
                    KeepStable(list, reach);
                }
            }
        }

        if (Restricts(schema, "unevaluatedProperties") || (Restricts(schema, "additionalProperties") && namesJudged))
        {
            PatternProperties(schema)[MaskMark.Pattern] = true; // a renamed member no longer matches its pattern or name: accept it, whatever its value
        }
    }

    private static void KeepStable(JsonArray names, MaskingReach reach)
    {
        for (var i = names.Count - 1; i >= 0; i--)
        {
            if (names[i] is JsonValue name && name.GetValueKind() == JsonValueKind.String && !reach.LiteralStable(name))
            {
                names.RemoveAt(i);
            }
        }
    }

    /// <summary>additionalProperties or unevaluatedProperties present and not the schema that accepts everything.</summary>
    private static bool Restricts(JsonObject schema, string keyword) =>
        schema.TryGetPropertyValue(keyword, out var value)
        && !(value is JsonValue v && v.GetValueKind() == JsonValueKind.True)
        && !(value is JsonObject o && o.Count == 0);

    private static JsonObject PatternProperties(JsonObject schema)
    {
        if (schema["patternProperties"] is JsonObject patterns)
        {
            return patterns;
        }

        patterns = [];
        schema.Remove("patternProperties");
        schema["patternProperties"] = patterns;
        return patterns;
    }
}
