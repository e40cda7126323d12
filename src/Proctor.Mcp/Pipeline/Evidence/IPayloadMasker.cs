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

/// <summary>
/// A masked copy of a message. A masker that writes the copy as UTF-8 JSON hands over those bytes (<see cref="Written"/>)
/// and <see cref="Message"/> is read from them only when something asks for it: the ledger stores the bytes as they are,
/// and a request's stored copy is then never read back into nodes (issue 13: that parse was on every call).
/// </summary>
public sealed record MaskedPayload
{
    private readonly ReadOnlyMemory<byte> _written;
    private JsonObject? _message;

    /// <param name="message">The masked message.</param>
    /// <param name="countsByEntity">How many values of each entity type were replaced; never the values.</param>
    /// <param name="utf8"><paramref name="message"/> as UTF-8 JSON, exactly as the masker wrote it (<see cref="Utf8"/>).</param>
    public MaskedPayload(JsonObject message, IReadOnlyDictionary<string, int> countsByEntity, ReadOnlyMemory<byte>? utf8 = null)
    {
        _message = message;
        CountsByEntity = countsByEntity;
        Utf8 = utf8;
    }

    private MaskedPayload(ReadOnlyMemory<byte> written, IReadOnlyDictionary<string, int> countsByEntity)
    {
        _written = written;
        CountsByEntity = countsByEntity;
        Utf8 = written;
    }

    /// <summary>The masked copy as the masker wrote it: one JSON object, UTF-8.</summary>
    public static MaskedPayload Written(ReadOnlyMemory<byte> utf8, IReadOnlyDictionary<string, int> countsByEntity) => new(utf8, countsByEntity);

    /// <summary>The masked message; read from the masker's bytes the first time it is asked for, then always the same object.</summary>
    public JsonObject Message => _message ?? Read();

    /// <summary>How many values of each entity type were replaced; never the values.</summary>
    public IReadOnlyDictionary<string, int> CountsByEntity { get; init; }

    /// <summary>
    /// <see cref="Message"/> as UTF-8 JSON, exactly as the masker wrote it, so that the ledger stores it without
    /// serializing the message again; null when the masker made none. Whoever changes <see cref="Message"/> after
    /// masking MUST drop it (<c>with { Utf8 = null }</c>), or the ledger would store something other than what was delivered.
    /// </summary>
    public ReadOnlyMemory<byte>? Utf8 { get; init; }

    private JsonObject Read()
    {
        var read = JsonNode.Parse(_written.Span)?.AsObject()
            ?? throw new MaskingFailedException("the masker wrote the JSON literal null instead of a message");
        return Interlocked.CompareExchange(ref _message, read, null) ?? read;
    }
}

public sealed class MaskingFailedException(string reason, Exception? inner = null) : Exception(reason, inner);
