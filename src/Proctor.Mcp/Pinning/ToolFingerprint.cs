using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Ledger.Canonical;

namespace Proctor.Mcp.Pinning;

/// <summary>
/// The fingerprint of one tool definition (decision 0034): SHA-256, in lowercase hex, of the RFC 8785 canonical form
/// of the members a model reads when it chooses and calls the tool — name, title, description, inputSchema,
/// outputSchema, annotations. Canonical form makes key order and whitespace no change; <c>icons</c> and <c>_meta</c>
/// are left out: they do not tell a model what the tool does, and upstreams vary them freely.
/// </summary>
public static class ToolFingerprint
{
    private static readonly string[] Members = ["name", "title", "description", "inputSchema", "outputSchema", "annotations"];

    public static string Of(JsonObject tool)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var definition = new JsonObject();
        foreach (var member in Members)
        {
            if (tool.TryGetPropertyValue(member, out var value))
            {
                definition[member] = value?.DeepClone();
            }
        }

        var canonical = JsonCanonicalizer.Canonicalize(JsonSerializer.SerializeToUtf8Bytes(definition, PinningJsonContext.Default.JsonObject));
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
internal sealed partial class PinningJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
