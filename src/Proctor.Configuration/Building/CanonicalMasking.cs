using System.Text.Json;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Building;

/// <summary>
/// The <c>masking</c> member of the canonical form. Lists keep the order written: a later rule for the
/// same entity or field wins, so order is part of the meaning.
/// </summary>
internal static class CanonicalMasking
{
    public static void Write(Utf8JsonWriter json, MaskingPolicy masking)
    {
        json.WriteStartObject("masking");
        WriteRules(json, masking.Rules);
        json.WriteStartArray("overrides");
        foreach (var scope in masking.Overrides)
        {
            json.WriteStartObject();
            json.WriteString("server", scope.Server);
            json.WriteString("tool", scope.Tool);
            WriteRules(json, scope.Rules);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("customPatterns");
        foreach (var pattern in masking.CustomPatterns)
        {
            json.WriteStartArray();
            json.WriteStringValue(pattern.Name);
            json.WriteStringValue(pattern.Pattern);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteStartArray("denyLists");
        foreach (var list in masking.DenyLists)
        {
            json.WriteStartObject();
            json.WriteString("name", list.Name);
            json.WriteStartArray("terms");
            foreach (var term in list.Terms)
            {
                json.WriteStringValue(term);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        CanonicalForm.WriteDuration(json, "timeBudget", masking.TimeBudget);
        json.WriteEndObject();
    }

    private static void WriteRules(Utf8JsonWriter json, IReadOnlyList<MaskingRule> rules)
    {
        json.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            json.WriteStartObject();
            json.WriteString("entity", rule.Entity);
            json.WriteString("field", rule.Field);
            json.WriteString("path", rule.Path);
            json.WriteString("strategy", rule.Strategy.ToString().ToLowerInvariant());
            if (rule.Strategy == MaskingStrategy.Partial)
            {
                json.WriteNumber("keepLast", rule.KeepLast);
            }

            json.WriteStartArray("revealTo");
            foreach (var group in rule.RevealTo.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                json.WriteStringValue(group);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
