using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Proctor.Policy.Conditions.Checking;

/// <summary>
/// Whether a tool's <c>inputSchema</c> declares the field an <see cref="ArgumentPath"/> names (decision 0036). Only a
/// schema that closes the question is believed: a level that lists its <c>properties</c> and admits nothing else.
/// </summary>
internal static class InputSchemaFields
{
    /// <summary>Keywords that let a field be valid without appearing in this level's <c>properties</c>.</summary>
    private static readonly FrozenSet<string> OpenKeywords = FrozenSet.Create(StringComparer.Ordinal,
        "patternProperties", "allOf", "anyOf", "oneOf", "if", "then", "else", "$ref", "$dynamicRef", "dependentSchemas");

    /// <summary>The first segment of <paramref name="segments"/> the schema shows to be absent, with the fields declared beside it; null when declared or undecidable.</summary>
    public static (string Field, IReadOnlyList<string> Declared)? Undeclared(JsonNode? schema, IReadOnlyList<string> segments)
    {
        var at = schema;
        foreach (var segment in segments)
        {
            if (at is not JsonObject node || node["properties"] is not JsonObject properties || IsOpen(node))
            {
                return null;
            }

            if (!properties.TryGetPropertyValue(segment, out at))
            {
                var declared = new List<string>(properties.Count);
                foreach (var property in properties)
                {
                    declared.Add(property.Key);
                }

                return (segment, declared);
            }
        }

        return null;
    }

    /// <summary>
    /// Other fields are admitted when <c>additionalProperties</c> (or <c>unevaluatedProperties</c>) is <c>true</c> or a schema, or when another keyword can
    /// declare them. Absent, JSON Schema's default admits them too, but a tool that lists its properties and leaves
    /// the keyword out (most SDKs do) means those properties: a read of another one is reported (decision 0036).
    /// </summary>
    private static bool IsOpen(JsonObject node)
    {
        // One pass over the level's own keywords (a handful), not one lookup per keyword: this runs on every tools/list.
        foreach (var (keyword, value) in node)
        {
            if (OpenKeywords.Contains(keyword) || (keyword is "additionalProperties" or "unevaluatedProperties" && Admits(value)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Admits(JsonNode? keyword) =>
        keyword is JsonObject || (keyword is JsonValue value && value.TryGetValue<bool>(out var admits) && admits);
}
