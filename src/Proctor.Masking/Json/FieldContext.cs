using Proctor.Masking.Detection;
using Proctor.Masking.Policy;

namespace Proctor.Masking.Json;

/// <summary>What the field holding a value says about it: context words, a whole-value rule, or "leave alone".</summary>
internal readonly record struct FieldContext(ContextFlags Flags, MaskingRule? Rule, bool Skip)
{
    public static FieldContext None => default;

    /// <summary>JSON-RPC envelope members carry no payload and are never masked.</summary>
    private static readonly string[] EnvelopeKeys = ["jsonrpc", "id", "method"];

    /// <summary>Every number is read as text under a telling field name or a field rule; never under a skipped (envelope) field (see <see cref="JsonNumbers"/>).</summary>
    public bool MayMaskNumber => Flags != ContextFlags.None || Rule is not null;

    /// <summary>The context a member name is read in: the words of the field holding its object, no rule.</summary>
    public FieldContext ForNames => new(Flags, null, Skip: false);

    public static FieldContext For(ReadOnlySpan<char> name, ScopedRules rules, IReadOnlyList<string>? path, bool atEnvelope)
    {
        if (atEnvelope)
        {
            foreach (var key in EnvelopeKeys)
            {
                if (name.SequenceEqual(key))
                {
                    return new FieldContext(ContextFlags.None, null, Skip: true);
                }
            }
        }

        MaskingRule? rule = null;
        if (rules.HasFieldRules || path is not null)
        {
            Span<char> normalized = stackalloc char[FieldNames.MaxLength];
            rule = rules.ForField(normalized[..FieldNames.Normalize(name, normalized)], path);
        }
        return new FieldContext(ContextWords.Of(name), rule, Skip: false);
    }
}
