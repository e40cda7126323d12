using System.Collections.Frozen;
using Proctor.Masking.Detection;

namespace Proctor.Masking.Policy;

/// <summary>
/// What a bank masks when the policy says nothing: identifiers keep their last four so staff can
/// match them with the customer; credentials and anything without a useful tail are redacted.
/// </summary>
public static class DefaultStrategies
{
    public static readonly FrozenDictionary<string, MaskingRule> ByEntity = new Dictionary<string, MaskingRule>
    {
        [EntityTypes.Card] = Partial(EntityTypes.Card),
        [EntityTypes.Ssn] = Partial(EntityTypes.Ssn),
        [EntityTypes.Itin] = Partial(EntityTypes.Itin),
        [EntityTypes.BankAccount] = Partial(EntityTypes.BankAccount),
        [EntityTypes.Iban] = Partial(EntityTypes.Iban),
        [EntityTypes.Phone] = Partial(EntityTypes.Phone),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The rule for <paramref name="entity"/> when no configured rule names it.</summary>
    public static MaskingRule For(string entity) =>
        ByEntity.TryGetValue(entity, out var rule) ? rule : new MaskingRule { Entity = entity, Strategy = MaskingStrategy.Redact };

    private static MaskingRule Partial(string entity) => new() { Entity = entity, Strategy = MaskingStrategy.Partial, KeepLast = 4 };
}
