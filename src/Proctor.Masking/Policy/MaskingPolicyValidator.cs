using System.Text.RegularExpressions;
using Proctor.Masking.Detection;

namespace Proctor.Masking.Policy;

/// <summary>One problem in a <see cref="MaskingPolicy"/>: the key relative to the masking section (<c>rules[2].entity</c>) and what to do.</summary>
public sealed record MaskingPolicyProblem(string Key, string Message)
{
    public override string ToString() => $"{Key}: {Message}";
}

/// <summary>
/// Collects every error in a <see cref="MaskingPolicy"/>; each message names the key and says what works.
/// Keys are relative to the masking section (<c>rules[2].entity</c>), so a configuration loader can
/// prefix them with where the section sits.
/// </summary>
public static class MaskingPolicyValidator
{
    public const int MinKeepLast = 1;
    public const int MaxKeepLast = 8;

    /// <summary>Every problem as <c>key: message</c>.</summary>
    public static IReadOnlyList<string> Validate(MaskingPolicy policy) => [.. Problems(policy).Select(problem => problem.ToString())];

    public static IReadOnlyList<MaskingPolicyProblem> Problems(MaskingPolicy policy)
    {
        var errors = new List<MaskingPolicyProblem>();
        var names = new HashSet<string>(EntityTypes.BuiltIn, StringComparer.Ordinal) { EntityTypes.GatewaySecret };
        for (var i = 0; i < policy.CustomPatterns.Count; i++)
        {
            ValidatePattern(policy.CustomPatterns[i], $"customPatterns[{i}]", names, errors);
        }

        for (var i = 0; i < policy.DenyLists.Count; i++)
        {
            ValidateDenyList(policy.DenyLists[i], $"denyLists[{i}]", names, errors);
        }

        ValidateRules(policy.Rules, "rules", names, errors);
        for (var i = 0; i < policy.Overrides.Count; i++)
        {
            var scope = policy.Overrides[i];
            if (string.IsNullOrWhiteSpace(scope.Server))
            {
                errors.Add(new($"overrides[{i}].server", "is empty; name an upstream server, e.g. \"bank\""));
            }

            if (scope.Tool is { } tool && string.IsNullOrWhiteSpace(tool))
            {
                errors.Add(new($"overrides[{i}].tool", "is blank; remove it to cover every tool of the server"));
            }

            ValidateRules(scope.Rules, $"overrides[{i}].rules", names, errors);
        }
        if (policy.TimeBudget <= TimeSpan.Zero)
        {
            errors.Add(new("timeBudget", $"{policy.TimeBudget} is not positive; use e.g. \"1s\""));
        }

        return errors;
    }

    private static void ValidateRules(IReadOnlyList<MaskingRule> rules, string key, HashSet<string> entityNames, List<MaskingPolicyProblem> errors)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            var at = $"{key}[{i}]";
            var selectors = (rule.Entity is null ? 0 : 1) + (rule.Field is null ? 0 : 1) + (rule.Path is null ? 0 : 1);
            if (selectors != 1)
            {
                errors.Add(new(at, $"set exactly one of entity, field or path (found {selectors})"));
            }

            if (rule.Entity == EntityTypes.GatewaySecret)
            {
                errors.Add(new($"{at}.entity", $"{EntityTypes.GatewaySecret} (the gateway's own credentials) is always redacted; remove this rule"));
            }
            else if (rule.Entity is { } entity && !entityNames.Contains(entity))
            {
                errors.Add(new($"{at}.entity", $"\"{entity}\" is not a known entity type; use one of {string.Join(", ", entityNames.Where(name => name != EntityTypes.GatewaySecret).Order(StringComparer.Ordinal))}"));
            }

            if (rule.Field is { } field && FieldNames.Normalize(field).Length == 0)
            {
                errors.Add(new($"{at}.field", $"\"{field}\" has no letters or digits; use a field name such as \"account_number\""));
            }

            if (rule.Path is { } path && path.Split('.').Any(segment => FieldNames.Normalize(segment).Length == 0))
            {
                errors.Add(new($"{at}.path", $"\"{path}\" has an empty segment; use dotted field names such as \"customer.ssn\""));
            }

            if (rule.Strategy == MaskingStrategy.Partial && rule.KeepLast is < MinKeepLast or > MaxKeepLast)
            {
                errors.Add(new($"{at}.keepLast", $"{rule.KeepLast} is out of range; use {MinKeepLast} to {MaxKeepLast} (4 is usual)"));
            }

            if (!Enum.IsDefined(rule.Strategy))
            {
                errors.Add(new($"{at}.strategy", $"{(int)rule.Strategy} is not a strategy; use redact, partial, token, hash or none"));
            }

            for (var g = 0; g < rule.RevealTo.Count; g++)
            {
                if (string.IsNullOrWhiteSpace(rule.RevealTo[g]))
                {
                    errors.Add(new($"{at}.revealTo[{g}]", "is empty; name a group, e.g. \"fraud-investigators\""));
                }
            }
        }
    }

    private static void ValidatePattern(CustomPattern pattern, string at, HashSet<string> names, List<MaskingPolicyProblem> errors)
    {
        ValidateName(pattern.Name, at, names, errors);
        try
        {
            _ = new Regex(pattern.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            errors.Add(new($"{at}.pattern", $"\"{pattern.Pattern}\" is not a valid regular expression ({e.Message}); e.g. \"CUST-[0-9]{{8}}\""));
        }
    }

    private static void ValidateDenyList(DenyList list, string at, HashSet<string> names, List<MaskingPolicyProblem> errors)
    {
        ValidateName(list.Name, at, names, errors);
        if (list.Terms.Count == 0)
        {
            errors.Add(new($"{at}.terms", "is empty; list at least one term or remove the deny-list"));
        }

        for (var t = 0; t < list.Terms.Count; t++)
        {
            if (string.IsNullOrWhiteSpace(list.Terms[t]))
            {
                errors.Add(new($"{at}.terms[{t}]", "is empty; remove it"));
            }
        }
    }

    private static void ValidateName(string name, string at, HashSet<string> names, List<MaskingPolicyProblem> errors)
    {
        if (string.IsNullOrEmpty(name) || name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_')))
        {
            errors.Add(new($"{at}.name", $"\"{name}\" must be lowercase letters, digits and _; e.g. \"customer_id\""));
        }
        else if (!names.Add(name))
        {
            errors.Add(new($"{at}.name", $"\"{name}\" is already an entity type; choose another name"));
        }
    }
}
