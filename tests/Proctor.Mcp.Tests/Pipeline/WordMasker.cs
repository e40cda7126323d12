using System.Text;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Tests.Pipeline;

/// <summary>
/// Masks one SSN value; reveals it to one group; fails on a poison word, as a budget overrun would. Like the gateway's
/// masker it hands over the bytes it wrote (<see cref="MaskedPayload.Utf8"/>), which the ledger stores as they are.
/// </summary>
internal sealed class WordMasker : IPayloadMasker
{
    public const string Ssn = "123-45-6789";
    public const string RevealedGroup = "fraud-investigators";
    public const string Poison = "POISON";

    public bool RevealsAnythingTo(IReadOnlyList<string> groups) => groups.Contains(RevealedGroup);

    /// <summary>Marks the schema it was given (<c>"x-adjusted-for": "server/tool"</c>) so tests see which copies were adjusted, for which tool.</summary>
    public JsonNode? AdjustOutputSchema(JsonNode schema, MaskingScope scope)
    {
        var adjusted = schema.DeepClone().AsObject();
        adjusted["x-adjusted-for"] = $"{scope.Server}/{scope.Tool}";
        return adjusted;
    }

    public MaskedPayload Mask(JsonObject message, MaskingScope scope, IReadOnlyList<string>? revealTo)
    {
        var text = message.ToJsonString();
        if (text.Contains(Poison, StringComparison.Ordinal))
        {
            throw new MaskingFailedException("time budget exceeded");
        }

        if (revealTo?.Contains(RevealedGroup) == true || !text.Contains(Ssn, StringComparison.Ordinal))
        {
            return new MaskedPayload(JsonNode.Parse(text)!.AsObject(), new Dictionary<string, int>(), Encoding.UTF8.GetBytes(text));
        }

        var masked = text.Replace(Ssn, "[SSN]", StringComparison.Ordinal);
        return new MaskedPayload(JsonNode.Parse(masked)!.AsObject(), new Dictionary<string, int> { ["ssn"] = 1 }, Encoding.UTF8.GetBytes(masked));
    }
}
