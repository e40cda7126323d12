using Proctor.Configuration.Models;
using Proctor.Masking.Policy;

namespace Proctor.Evidence.Reports;

/// <summary>
/// What the reports take from the configuration in force at export: the masking rules (names and strategies, never a
/// deny-list term or a gateway secret), the payload retention, and the WORM archive (none exists yet: null, and the
/// report says so plainly).
/// </summary>
public sealed record ReportSettings(
    IReadOnlyList<MaskingRuleSetting> MaskingRules,
    IReadOnlyList<string> CustomPatterns,
    IReadOnlyList<DenyListSetting> DenyLists,
    int GatewaySecrets,
    string? Retention,
    string? WormArchive,
    string ConfigurationHash)
{
    public static ReportSettings From(GatewayModel model)
    {
        var masking = model.Masking;
        var rules = masking.Rules.Select(rule => MaskingRuleSetting.From(rule, server: null, tool: null))
            .Concat(masking.Overrides.SelectMany(scope => scope.Rules.Select(rule => MaskingRuleSetting.From(rule, scope.Server, scope.Tool))));
        return new ReportSettings(
            [.. rules],
            [.. masking.CustomPatterns.Select(pattern => pattern.Name)],
            [.. masking.DenyLists.Select(list => new DenyListSetting(list.Name, list.Terms.Count))],
            masking.GatewaySecrets.Count,
            model.Storage.Retention?.ToString(),
            WormArchive: null,
            model.Hash);
    }
}

/// <summary>One masking rule; <see cref="Server"/> and <see cref="Tool"/> are null for a gateway-wide rule.</summary>
public sealed record MaskingRuleSetting(string? Server, string? Tool, string? Entity, string? Field, string? Path, string Strategy, int? KeepLast, IReadOnlyList<string> RevealTo)
{
    public static MaskingRuleSetting From(MaskingRule rule, string? server, string? tool) => new(
        server,
        tool,
        rule.Entity,
        rule.Field,
        rule.Path,
        rule.Strategy.ToString().ToLowerInvariant(),
        rule.Strategy == MaskingStrategy.Partial ? rule.KeepLast : null,
        rule.RevealTo);
}

/// <summary>A deny-list by name and size: its terms are the very values it exists to hide.</summary>
public sealed record DenyListSetting(string Name, int Terms);
