using System.Text.RegularExpressions;
using Proctor.Masking.Detection;

namespace Proctor.Masking.Policy;

/// <summary>
/// Collects every error in a <see cref="MaskingPolicy"/>; each message names the key and says what works.
/// Keys are relative to the masking section (<c>rules[2].entity</c>).
/// </summary>
public static class MaskingPolicyValidator
{
    public const int MinKeepLast = 1;
    public const int MaxKeepLast = 8;

    public static IReadOnlyList<string> Validate(MaskingPolicy policy)
    {
        var errors = new List<string>();
        var names = new HashSet<string>(EntityTypes.BuiltIn, StringComparer.Ordinal);
        for (var i = 0; i < policy.CustomPatterns.Count; i++)
            ValidatePattern(policy.CustomPatterns[i], $"customPatterns[{i}]", names, errors);
        for (var i = 0; i < policy.DenyLists.Count; i++)
            ValidateDenyList(policy.DenyLists[i], $"denyLists[{i}]", names, errors);
        ValidateRules(policy.Rules, "rules", names, errors);
        for (var i = 0; i < policy.Overrides.Count; i++)
        {
            var scope = policy.Overrides[i];
            if (string.IsNullOrWhiteSpace(scope.Server))
                errors.Add($"overrides[{i}].server: is empty; name an upstream server, e.g. \"bank\"");
            if (scope.Tool is { } tool && string.IsNullOrWhiteSpace(tool))
                errors.Add($"overrides[{i}].tool: is blank; remove it to cover every tool of the server");
            ValidateRules(scope.Rules, $"overrides[{i}].rules", names, errors);
        }
        if (policy.TimeBudget <= TimeSpan.Zero)
            errors.Add($"timeBudget: {policy.TimeBudget} is not positive; use e.g. \"1s\"");
        return errors;
    }

    private static void ValidateRules(IReadOnlyList<MaskingRule> rules, string key, HashSet<string> entityNames, List<string> errors)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = $"{key}[{i}]";
            var selectors = (rule.Entity is null ? 0 : 1) + (rule.Field is null ? 0 : 1) + (rule.Path is null ? 0 : 1);
            if (selectors != 1)
                errors.Add($"{at}: set exactly one of entity, field or path (found {selectors})");
            if (rule.Entity is { } entity && !entityNames.Contains(entity))
                errors.Add($"{at}.entity: \"{entity}\" is not a known entity type; use one of {string.Join(", ", entityNames.Order(StringComparer.Ordinal))}");
            if (rule.Field is { } field && FieldNames.Normalize(field).Length == 0)
                errors.Add($"{at}.field: \"{field}\" has no letters or digits; use a field name such as \"account_number\"");
            if (rule.Path is { } path && path.Split('.').Any(segment => FieldNames.Normalize(segment).Length == 0))
                errors.Add($"{at}.path: \"{path}\" has an empty segment; use dotted field names such as \"customer.ssn\"");
            if (rule.Strategy == MaskingStrategy.Partial && rule.KeepLast is < MinKeepLast or > MaxKeepLast)
                errors.Add($"{at}.keepLast: {rule.KeepLast} is out of range; use {MinKeepLast} to {MaxKeepLast} (4 is usual)");
            if (!Enum.IsDefined(rule.Strategy))
                errors.Add($"{at}.strategy: {(int)rule.Strategy} is not a strategy; use redact, partial, token, hash or none");
            for (var g = 0; g < rule.RevealTo.Count; g++)
                if (string.IsNullOrWhiteSpace(rule.RevealTo[g]))
                    errors.Add($"{at}.revealTo[{g}]: is empty; name a group, e.g. \"fraud-investigators\"");
        }
    }

    private static void ValidatePattern(CustomPattern pattern, string at, HashSet<string> names, List<string> errors)
    {
        ValidateName(pattern.Name, at, names, errors);
        try
        {
            _ = new Regex(pattern.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            errors.Add($"{at}.pattern: \"{pattern.Pattern}\" is not a valid regular expression ({e.Message}); e.g. \"CUST-[0-9]{{8}}\"");
        }
    }

    private static void ValidateDenyList(DenyList list, string at, HashSet<string> names, List<string> errors)
    {
        ValidateName(list.Name, at, names, errors);
        if (list.Terms.Count == 0)
            errors.Add($"{at}.terms: is empty; list at least one term or remove the deny-list");
        for (var t = 0; t < list.Terms.Count; t++)
            if (string.IsNullOrWhiteSpace(list.Terms[t]))
                errors.Add($"{at}.terms[{t}]: is empty; remove it");
    }

    private static void ValidateName(string name, string at, HashSet<string> names, List<string> errors)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
            errors.Add($"{at}.name: \"{name}\" must be lowercase letters, digits and _; e.g. \"customer_id\"");
        else if (!names.Add(name))
            errors.Add($"{at}.name: \"{name}\" is already an entity type; choose another name");
    }
}
