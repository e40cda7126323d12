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

    /// <summary>
    /// " (it declares: a, b); did you mean 'a'?" for a finding. The names are the upstream's, so the text is bounded
    /// (a log line and /readyz carry it, on every change): at most <see cref="NamesShown"/> names of at most
    /// <see cref="NameLength"/> characters each, and only such names are suggested.
    /// </summary>
    public static string DescribeDeclared(string field, IReadOnlyList<string> declared)
    {
        if (declared.Count == 0)
        {
            return "";
        }

        var shown = new List<string>(Math.Min(declared.Count, NamesShown));
        for (var i = 0; i < declared.Count && shown.Count < NamesShown; i++)
        {
            shown.Add(declared[i].Length <= NameLength ? declared[i] : declared[i][..NameLength] + "…");
        }

        var more = declared.Count > NamesShown ? $", and {declared.Count - NamesShown} more" : "";
        return $" (it declares: {string.Join(", ", shown)}{more})"
            + (field.Length <= NameLength ? Suggestions.DidYouMean(field, shown.Where(n => !n.EndsWith('…'))) : "");
    }

    /// <summary>Enough for any schema a person reads; more would let an upstream's schema flood the log.</summary>
    private const int NamesShown = 20;

    private const int NameLength = 64;

    private static bool Admits(JsonNode? keyword) =>
        keyword is JsonObject || (keyword is JsonValue value && value.TryGetValue<bool>(out var admits) && admits);
}
