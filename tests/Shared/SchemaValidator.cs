using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Proctor.Tests.Shared;

/// <summary>
/// Shared by the masking unit tests and the functional tests (linked into both projects).
/// JSON Schema 2020-12 (the dialect MCP names for tool schemas) with <c>format</c> asserted, as the
/// MCP clients that refused masked results assert it (ajv-formats in the TypeScript SDK and Inspector).
/// </summary>
internal static class SchemaValidator
{
    private static readonly EvaluationOptions Asserting = new() { RequireFormatValidation = true, OutputFormat = OutputFormat.List };

    public static bool IsValid(JsonNode? schema, JsonNode? instance) => Evaluate(schema, instance).IsValid;

    /// <summary>Why <paramref name="instance"/> fails, for assertion messages; empty when it passes.</summary>
    public static string Errors(JsonNode? schema, JsonNode? instance)
    {
        var results = Evaluate(schema, instance);
        if (results.IsValid)
        {
            return "";
        }

        return string.Join("; ", (results.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} {e.Key}: {e.Value}")));
    }

    private static EvaluationResults Evaluate(JsonNode? schema, JsonNode? instance)
    {
        var build = new BuildOptions { SchemaRegistry = new SchemaRegistry(), Dialect = Dialect.Draft202012 };
        var built = JsonSchema.Build(JsonSerializer.SerializeToElement(schema), build, new Uri($"https://proctor.test/{Guid.NewGuid():N}"));
        return built.Evaluate(JsonSerializer.SerializeToElement(instance), Asserting);
    }
}
