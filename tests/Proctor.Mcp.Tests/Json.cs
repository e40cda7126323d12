using System.Text.Json.Nodes;

namespace Proctor.Mcp.Tests;

/// <summary>JSON written in tests with single quotes for readability.</summary>
internal static class Json
{
    public static JsonObject Object(string json) => JsonNode.Parse(json.Replace('\'', '"'))!.AsObject();

    /// <summary>Asserts JSON equality and shows both sides when they differ.</summary>
    public static void Equal(string expected, JsonNode? actual) => Equal(JsonNode.Parse(expected.Replace('\'', '"')), actual);

    public static void Equal(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected {expected?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
}
