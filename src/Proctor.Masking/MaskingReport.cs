using System.Text.Json.Nodes;

namespace Proctor.Masking;

/// <summary>
/// What a masking call did, by entity type: how many values were masked and how many were left
/// visible (by <c>revealTo</c> or strategy <c>none</c>). It MUST NOT carry values; audit events record it as is.
/// </summary>
public sealed record MaskingReport(IReadOnlyDictionary<string, int> Masked, IReadOnlyDictionary<string, int> Revealed)
{
    private static readonly IReadOnlyDictionary<string, int> None = new Dictionary<string, int>();

    public static MaskingReport Empty { get; } = new(None, None);

    public int MaskedTotal => Masked.Values.Sum();
}

/// <summary>A masked copy of a JSON node and what was masked.</summary>
public sealed record MaskedJson(JsonNode? Node, MaskingReport Report);

/// <summary>A masked string and what was masked.</summary>
public sealed record MaskedText(string Text, MaskingReport Report);
