using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// The Mask stage's part in tools/list (decision 0014): each tool's <c>outputSchema</c> is replaced by
/// one its masked results satisfy, in both the copy the caller receives and the copy the ledger stores.
/// Input schemas stay as the upstream wrote them: arguments reach the upstream unmasked, so the
/// upstream's own contract is the one the caller must meet.
/// </summary>
internal static class ListedToolSchemas
{
    /// <summary>Adjusts <paramref name="message"/> (a masked copy, so it is changed in place); anything but a tools/list result is left alone.</summary>
    public static void Adjust(JsonObject message, string server, IPayloadMasker masker)
    {
        if (message["result"]?["tools"] is not JsonArray tools)
        {
            return;
        }

        foreach (var tool in tools)
        {
            if (tool is not JsonObject entry || entry["outputSchema"] is not { } schema)
            {
                continue;
            }

            var name = entry["name"] is JsonValue value && value.TryGetValue<string>(out var n) ? n : null;
            var adjusted = masker.AdjustOutputSchema(schema, new MaskingScope(server, name));
            entry.Remove("outputSchema");
            if (adjusted is not null)
            {
                entry["outputSchema"] = adjusted; // without one, clients do not validate results: better than refusing them
            }
        }
    }
}
