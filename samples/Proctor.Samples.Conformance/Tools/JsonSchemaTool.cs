using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>
/// A tool whose inputSchema uses the JSON Schema 2020-12 vocabulary ($schema, $defs, $anchor,
/// $ref, allOf/anyOf, if/then/else, additionalProperties), which servers must pass through
/// unchanged (SEP-1613, SEP-2106). The schema is written by hand because a schema generated from
/// a .NET signature cannot express these keywords.
/// </summary>
internal static class JsonSchemaTool
{
    public const string Name = "json_schema_2020_12_tool";

    private const string InputSchema = """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "type": "object",
          "$defs": {
            "address": {
              "$anchor": "addressDef",
              "type": "object",
              "properties": {
                "street": { "type": "string" },
                "city": { "type": "string" }
              }
            }
          },
          "properties": {
            "name": { "type": "string" },
            "address": { "$ref": "#/$defs/address" },
            "contactMethod": { "type": "string", "enum": ["phone", "email"] },
            "phone": { "type": "string" },
            "email": { "type": "string" }
          },
          "allOf": [ { "anyOf": [ { "required": ["phone"] }, { "required": ["email"] } ] } ],
          "if": { "properties": { "contactMethod": { "const": "phone" } }, "required": ["contactMethod"] },
          "then": { "required": ["phone"] },
          "else": { "required": ["email"] },
          "additionalProperties": false
        }
        """;

    public static McpServerTool Create()
    {
        var tool = McpServerTool.Create(
            (RequestContext<CallToolRequestParams> context) => new CallToolResult
            {
                Content =
                [
                    new TextContentBlock
                    {
                        Text = $"Received contact details: {JsonSerializer.Serialize(context.Params.Arguments ?? new Dictionary<string, JsonElement>())}",
                    },
                ],
            },
            new() { Name = Name, Description = "Tool with JSON Schema 2020-12 features", ReadOnly = true });
        tool.ProtocolTool.InputSchema = JsonElement.Parse(InputSchema);
        return tool;
    }
}
