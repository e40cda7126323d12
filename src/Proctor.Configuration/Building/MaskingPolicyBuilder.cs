using Proctor.Configuration.Options;
using Proctor.Masking.Policy;

namespace Proctor.Configuration.Building;

/// <summary>
/// Turns the <c>masking:</c> section into a <see cref="MaskingPolicy"/>, entry for entry and in the order
/// written, so the policy's keys (<c>rules[2]</c>) are the file's keys below <c>masking</c>. Deny-list
/// terms are the resolved values of what was written.
/// </summary>
internal static class MaskingPolicyBuilder
{
    public static MaskingPolicy Build(MaskingOptions options, IReadOnlyList<string> gatewaySecrets) => new()
    {
        Rules = Rules(options.Rules),
        Overrides = [.. options.Overrides.Select(scope => new ScopeOverride(scope.Server ?? "", scope.Tool, Rules(scope.Rules)))],
        CustomPatterns = [.. options.CustomPatterns.Select(pattern => new CustomPattern(pattern.Name ?? "", pattern.Pattern ?? ""))],
        DenyLists = [.. options.DenyLists.Select(list => new DenyList(list.Name ?? "", [.. list.Terms.Select(term => term.Reveal())]))],
        TimeBudget = options.TimeBudget,
        GatewaySecrets = gatewaySecrets,
    };

    private static MaskingRule[] Rules(IReadOnlyList<MaskingRuleOptions> rules) => [.. rules.Select(rule => new MaskingRule
    {
        Entity = rule.Entity,
        Field = rule.Field,
        Path = rule.Path,
        Strategy = rule.Strategy,
        KeepLast = rule.KeepLast,
        RevealTo = [.. rule.RevealTo],
    })];
}
