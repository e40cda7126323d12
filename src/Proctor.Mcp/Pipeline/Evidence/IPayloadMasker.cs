using System.Text.Json.Nodes;

namespace Proctor.Mcp.Pipeline.Evidence;

/// <summary>
/// The masking engine as the pipeline sees it. The host adapts Proctor.Masking to it; the Mask stage
/// is its only caller on the data path.
/// </summary>
public interface IPayloadMasker
{
    /// <summary>
    /// Returns a masked copy of <paramref name="message"/> (the original is not changed). With no
    /// <paramref name="revealTo"/> groups every rule applies (the copy that is stored); with a caller's
    /// groups, rules that reveal a field to one of them are skipped (the copy that caller receives).
    /// Throws <see cref="MaskingFailedException"/> when it cannot mask within its budget.
    /// </summary>
    MaskedPayload Mask(JsonObject message, MaskingScope scope, IReadOnlyList<string>? revealTo);

    /// <summary>Whether any rule reveals values to one of <paramref name="groups"/>; if not, the stored copy is also the caller's.</summary>
    bool RevealsAnythingTo(IReadOnlyList<string> groups);

    /// <summary>
    /// The <c>outputSchema</c> to advertise for the tool in <paramref name="scope"/>: one that every
    /// result this masker makes of a valid result satisfies, for every audience (decision 0014); null
    /// when it cannot be adjusted, and the tool is then listed without one.
    /// </summary>
    JsonNode? AdjustOutputSchema(JsonNode schema, MaskingScope scope);
}

/// <summary>Where a payload comes from: rules may apply per server and per tool; a null server selects the gateway-wide rules only.</summary>
public readonly record struct MaskingScope(string? Server, string? Tool);

/// <param name="CountsByEntity">How many values of each entity type were replaced; never the values.</param>
/// <param name="Utf8">
/// <paramref name="Message"/> as UTF-8 JSON, exactly as the masker wrote it, so that the ledger stores it without
/// serializing the message again; null when the masker made none. Whoever changes <paramref name="Message"/> after
/// masking MUST drop it (<c>with { Utf8 = null }</c>), or the ledger would store something other than what was delivered.
/// </param>
public sealed record MaskedPayload(JsonObject Message, IReadOnlyDictionary<string, int> CountsByEntity, ReadOnlyMemory<byte>? Utf8 = null);

public sealed class MaskingFailedException(string reason, Exception? inner = null) : Exception(reason, inner);
