using System.Text.Json.Nodes;

namespace Proctor.Masking.Schemas;

/// <summary>Adds alternatives or conjuncts to a schema object without disturbing the ones it has.</summary>
internal static class Combine
{
    /// <summary>The schema also requires one of <paramref name="branches"/>; an existing anyOf stays as it is, beside it.</summary>
    public static void AnyOf(JsonObject schema, IEnumerable<JsonNode?> branches)
    {
        var any = new JsonArray([.. branches]);
        if (schema.ContainsKey("anyOf"))
        {
            AllOf(schema, new JsonObject { ["anyOf"] = any });
        }
        else
        {
            schema["anyOf"] = any;
        }
    }

    /// <summary>The schema also requires every one of <paramref name="conjuncts"/>, appended to its allOf.</summary>
    public static void AllOf(JsonObject schema, params JsonNode?[] conjuncts)
    {
        if (schema["allOf"] is not JsonArray all)
        {
            all = [];
            if (schema.TryGetPropertyValue("allOf", out var malformed) && malformed is not null)
            {
                schema.Remove("allOf");
                all.Add(malformed); // not an array: a client refuses the schema either way; keep what was there
            }
            schema["allOf"] = all;
        }
        foreach (var conjunct in conjuncts)
        {
            all.Add(conjunct);
        }
    }
}
