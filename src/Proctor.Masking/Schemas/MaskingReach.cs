using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Masking.Detection;
using Proctor.Masking.Json;

namespace Proctor.Masking.Schemas;

/// <summary>
/// What masking can change in one scope's tool results, asked of the engine itself rather than
/// guessed: whole-value (field and path) rules, whether the policy has detectors that match anything,
/// and whether a literal (an <c>enum</c> or <c>const</c> member, a declared property name) survives
/// masking under every context a field name could give it.
/// </summary>
internal sealed class MaskingReach(Policy.ScopedRules rules, Func<MaskingSession> begin, bool matchesAnything)
{
    /// <summary>
    /// Integers within this bound have at most 7 characters, fewer digits than the shortest number any
    /// built-in detector masks (bank_account: 8 digits, docs/masking.md) and shorter than the shortest
    /// gateway secret searched for (MaskingPolicy.MinGatewaySecretLength). Written as JSON writers do.
    /// </summary>
    public const long ShortIntegerBound = 999_999;

    // Detection is monotone in each context word except the suppressing ones (version, card), so trying
    // every single word and none covers every field name: a value that survives all of them survives any.
    private static readonly ContextFlags[] Contexts = [ContextFlags.None, .. Enum.GetValues<ContextFlags>().Where(f => f != ContextFlags.None)];

    /// <summary>Custom patterns or deny-lists: they may match any text, short numbers included.</summary>
    public bool MatchesAnything => matchesAnything;

    /// <summary>Whether a field or path rule may mask the whole value held by a field of this name (null: a name the schema does not fix).</summary>
    public bool RuleReaches(string? holder) => rules.WholeValueRuleMayReach(holder);

    /// <summary>
    /// Whether masking leaves <paramref name="literal"/> exactly as it is wherever it appears: every
    /// string and number in it, and every member name, unchanged under every context. A literal that
    /// already holds a mark was masked once (the list itself passes masking) and is never stable: the
    /// same value in a result may be masked otherwise (another tool's rules, another audience).
    /// </summary>
    public bool LiteralStable(JsonNode? literal)
    {
        switch (literal)
        {
            case null:
                return true;
            case JsonObject obj:
                foreach (var (name, member) in obj)
                {
                    if (!TextStable(name) || !LiteralStable(member))
                    {
                        return false;
                    }
                }

                return true;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (!LiteralStable(item))
                    {
                        return false;
                    }
                }

                return true;
            default:
                var value = literal.AsValue();
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => TextStable(value.GetValue<string>()),
                    JsonValueKind.Number => TextStable(value.ToJsonString()),
                    _ => true, // true, false: masking never changes them
                };
        }
    }

    private bool TextStable(string text)
    {
        if (MaskMark.IsIn(text))
        {
            return false;
        }

        try
        {
            var session = begin();
            foreach (var context in Contexts)
            {
                if (session.Mask(text, new FieldContext(context, Rule: null, Skip: false)) is not null)
                {
                    return false;
                }
            }

            return true;
        }
        catch (MaskingFailedException)
        {
            return false; // could not prove it: assume masking changes it, which only loosens the schema
        }
    }
}
