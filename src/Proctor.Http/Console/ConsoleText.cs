using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Http.Console;

/// <summary>How JSON values from the API read on a page.</summary>
internal static class ConsoleText
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Of(JsonNode? node) => node switch
    {
        null => "—",
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        JsonValue value => value.ToJsonString(),
        _ => node.ToJsonString(Indented),
    };

    public static IEnumerable<JsonNode> Items(JsonNode? node) => node is JsonArray array ? array.OfType<JsonNode>() : [];
}
