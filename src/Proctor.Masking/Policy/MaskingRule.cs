namespace Proctor.Masking.Policy;

/// <summary>
/// One masking rule. It selects either an entity type (<see cref="Entity"/>: how every value a detector
/// finds is masked) or a JSON field (<see cref="Field"/> or <see cref="Path"/>: the whole value of
/// that field is masked, whatever it contains). Exactly one of the three must be set.
/// </summary>
public sealed record MaskingRule
{
    /// <summary>A built-in entity type (<see cref="Detection.EntityTypes"/>), a custom pattern name or a deny-list name.</summary>
    public string? Entity { get; init; }

    /// <summary>A field name, compared ignoring case, <c>_</c>, <c>-</c> and camelCase: <c>accountNumber</c> = <c>account_number</c>.</summary>
    public string? Field { get; init; }

    /// <summary>Dotted field names ending the value's path, array levels omitted: <c>customer.ssn</c> matches <c>result.structuredContent.customer.ssn</c>.</summary>
    public string? Path { get; init; }

    public MaskingStrategy Strategy { get; init; } = MaskingStrategy.Redact;

    /// <summary>For <see cref="MaskingStrategy.Partial"/>: letters/digits kept at the end, 1 to 8. Never more than half the value is kept.</summary>
    public int KeepLast { get; init; } = 4;

    /// <summary>Groups that see this entity or field unmasked in their own responses. Storage copies are always masked.</summary>
    public IReadOnlyList<string> RevealTo { get; init; } = [];
}
