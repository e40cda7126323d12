using Proctor.Configuration.Building;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;
using Proctor.Configuration.Reading;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Validation;

/// <summary>
/// The <c>masking:</c> section. Checks what only the configuration knows (how strategies, numbers and
/// durations are written; overrides naming a configured upstream), then builds the policy and reports
/// the masking engine's own checks (<see cref="MaskingPolicyValidator"/>: entity types, patterns,
/// keepLast range, names) under their full keys. Runs after <see cref="SecretReferenceValidator"/>,
/// so deny-list terms written as references are checked as resolved.
/// </summary>
internal sealed class MaskingValidator : IOptionsValidator
{
    private const string Section = "masking";

    public void Validate(ProctorOptions options, ValidationContext context)
    {
        if (options.Masking is not { } masking)
        {
            return;
        }

        var reportedBefore = context.Errors.Select(error => error.Key).ToList();
        for (var i = 0; i < masking.Rules?.Count; i++)
        {
            ValidateRule(masking.Rules[i], $"{Section}.rules[{i}]", context);
        }

        for (var i = 0; i < masking.Overrides?.Count; i++)
        {
            var scope = masking.Overrides[i];
            var at = $"{Section}.overrides[{i}]";
            if (scope.Server is { Length: > 0 } server && !options.Upstreams.ContainsKey(server))
            {
                context.Add($"{at}.server", UnknownUpstream(server, [.. options.Upstreams.Keys]));
            }

            for (var r = 0; r < scope.Rules?.Count; r++)
            {
                ValidateRule(scope.Rules[r], $"{at}.rules[{r}]", context);
            }
        }

        if (masking.TimeBudget is { } budget)
        {
            context.AddIf(MaskingPolicyBuilder.TryParseTimeBudget(budget, out _, out var problem), $"{Section}.timeBudget", problem);
        }

        reportedBefore.AddRange(context.Errors.Select(error => error.Key));
        var policy = MaskingPolicyBuilder.Build(masking, (key, text) => context.Resolved.TryGetValue(key, out var term) ? term.Reveal() : text, []);
        foreach (var problem in MaskingPolicyValidator.Problems(policy))
        {
            var key = KeyPath.Child(Section, problem.Key);

            // An entry the binder could not read, or a value reported above, stands in with its default;
            // what the engine would say about that default is noise.
            if (!reportedBefore.Any(reported => KeyPath.IsWithin(key, reported)))
            {
                context.Add(key, problem.Message);
            }
        }
    }

    private static void ValidateRule(MaskingRuleOptions rule, string at, ValidationContext context)
    {
        if (rule.Strategy is { } strategy && !MaskingPolicyBuilder.TryParseStrategy(strategy, out _))
        {
            context.Add($"{at}.strategy", $"{DisplayText.Quote(strategy)} is not a strategy; use {string.Join(", ", MaskingPolicyBuilder.StrategyNames)}");
        }

        if (rule.KeepLast is { } keepLast && !MaskingPolicyBuilder.TryParseKeepLast(keepLast, out _))
        {
            context.Add($"{at}.keepLast", $"{DisplayText.Quote(keepLast)} is not a whole number; use {MaskingPolicyValidator.MinKeepLast} to {MaskingPolicyValidator.MaxKeepLast}, e.g. 4");
        }
    }

    private static string UnknownUpstream(string server, IReadOnlyCollection<string> upstreams)
    {
        if (upstreams.Count == 0)
        {
            return $"{DisplayText.Quote(server)} is not a configured upstream, and none is configured; add it under upstreams or remove the override";
        }

        var closest = KeySuggestion.Closest(server, upstreams);
        return closest is null
            ? $"{DisplayText.Quote(server)} is not a configured upstream; use one of {string.Join(", ", upstreams)}"
            : $"{DisplayText.Quote(server)} is not a configured upstream; did you mean \"{closest}\"?";
    }
}
