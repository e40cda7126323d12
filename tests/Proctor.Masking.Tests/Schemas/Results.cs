using System.Text.Json.Nodes;

namespace Proctor.Masking.Tests.Schemas;

/// <summary>A tool's result as the gateway masks it, and the schema it would advertise for that tool.</summary>
internal static class Results
{
    public static readonly MaskingScope Scope = new("bank", "search");

    public static JsonNode Parse(string json) => JsonNode.Parse(json.Replace('\'', '"'))!;

    public static JsonNode Adjusted(string schema, MaskingEngine? engine = null) => Adjusted(Parse(schema), engine);

    public static JsonNode Adjusted(JsonNode schema, MaskingEngine? engine = null) =>
        (engine ?? Masker.Defaults).AdjustOutputSchema(schema, Scope) ?? throw new InvalidOperationException("schema not adjusted");

    /// <summary>structuredContent after masking the whole tools/call response, so it has the field context it has on the wire.</summary>
    public static JsonNode? Masked(JsonNode? structured, MaskingEngine? engine = null, MaskingAudience? audience = null)
    {
        var response = new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 1,
            ["result"] = new JsonObject { ["content"] = new JsonArray(), ["structuredContent"] = structured?.DeepClone() },
        };
        return (engine ?? Masker.Defaults).MaskJson(response, Scope, audience ?? MaskingAudience.Storage).Node!["result"]!["structuredContent"];
    }
}
