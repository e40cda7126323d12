using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Protocol;

/// <summary>
/// Reads a message's <c>method</c>. A parsed message holds its strings as UTF-8, and reading one made a new string each
/// time: several per call, as every layer asks for the method (issue 13 profile). A known MCP method comes back as its
/// <see cref="McpMethods"/> constant instead, matched on the parsed bytes; any other name is read as before.
/// </summary>
internal static class MethodNames
{
    /// <summary>Every <see cref="McpMethods"/> constant, with its JSON string token (quotes included, nothing escaped).</summary>
    private static readonly (byte[] Token, string Name)[] Known = typeof(McpMethods)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral && field.FieldType == typeof(string))
        .Select(field => string.Intern((string)field.GetRawConstantValue()!)) // the literal's own instance
        .Select(name => (Encoding.UTF8.GetBytes($"\"{name}\""), name))
        .ToArray();

    public static string? Read(JsonValue value)
    {
        if (!value.TryGetValue<JsonElement>(out var parsed))
        {
            return value.TryGetValue<string>(out var method) ? method : null;
        }

        if (parsed.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // The raw token: an escaped spelling of a known name ("tools\/call") matches none and is unescaped below.
        var token = JsonMarshal.GetRawUtf8Value(parsed);
        foreach (var (known, name) in Known)
        {
            if (token.SequenceEqual(known))
            {
                return name;
            }
        }

        return parsed.GetString();
    }
}
