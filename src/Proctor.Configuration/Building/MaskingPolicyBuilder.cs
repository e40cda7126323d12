using System.Globalization;
using Proctor.Configuration.Formats;
using Proctor.Configuration.Options;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Building;

/// <summary>
/// Turns the <c>masking:</c> section into a <see cref="MaskingPolicy"/>, entry for entry and in the
/// order written, so the policy's keys (<c>rules[2]</c>) are the file's keys below <c>masking</c>.
/// A value that does not parse takes its default here; <see cref="Validation.MaskingValidator"/> has
/// reported it already.
/// </summary>
internal static class MaskingPolicyBuilder
{
    public static readonly string[] StrategyNames = [.. Enum.GetNames<MaskingStrategy>().Select(name => name.ToLowerInvariant())];

    /// <param name="resolveTerm">The term to look for, given a deny-list entry's key and its text as written (the resolved value of a reference).</param>
    public static MaskingPolicy Build(MaskingOptions? options, Func<string, string, string> resolveTerm, IReadOnlyList<string> gatewaySecrets)
    {
        if (options is null)
        {
            return new MaskingPolicy { GatewaySecrets = gatewaySecrets };
        }

        return new MaskingPolicy
        {
            Rules = Rules(options.Rules),
            Overrides = [.. (options.Overrides ?? []).Select(scope => new ScopeOverride(scope.Server ?? "", scope.Tool, Rules(scope.Rules)))],
            CustomPatterns = [.. (options.CustomPatterns ?? []).Select(pattern => new CustomPattern(pattern.Name ?? "", pattern.Pattern ?? ""))],
            DenyLists = [.. (options.DenyLists ?? []).Select((list, i) => new DenyList(
                list.Name ?? "",
                [.. (list.Terms ?? []).Select((text, t) => resolveTerm($"masking.denyLists[{i}].terms[{t}]", text))]))],
            TimeBudget = TryParseTimeBudget(options.TimeBudget ?? MaskingOptions.DefaultTimeBudget, out var budget, out _) ? budget : new MaskingPolicy().TimeBudget,
            GatewaySecrets = gatewaySecrets,
        };
    }

    public static bool TryParseStrategy(string text, out MaskingStrategy strategy)
    {
        strategy = MaskingStrategy.Redact;
        var index = Array.IndexOf(StrategyNames, text);
        if (index < 0)
        {
            return false;
        }

        strategy = Enum.GetValues<MaskingStrategy>()[index];
        return true;
    }

    public static bool TryParseKeepLast(string text, out int keepLast) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out keepLast);

    public static bool TryParseTimeBudget(string text, out TimeSpan budget, out string? problem) =>
        DurationFormat.TryParse(text, MaskingOptions.DefaultTimeBudget, out budget, out problem);

    private static MaskingRule[] Rules(List<MaskingRuleOptions>? rules) => [.. (rules ?? []).Select(rule => new MaskingRule
    {
        Entity = rule.Entity,
        Field = rule.Field,
        Path = rule.Path,
        Strategy = rule.Strategy is { } strategy && TryParseStrategy(strategy, out var parsed) ? parsed : MaskingStrategy.Redact,
        KeepLast = rule.KeepLast is { } keepLast && TryParseKeepLast(keepLast, out var kept) ? kept : new MaskingRule().KeepLast,
        RevealTo = [.. rule.RevealTo ?? []],
    })];
}
