namespace Proctor.Masking.Policy;

/// <summary>
/// What to mask and how, as a configuration loader builds it. Validated by <see cref="MaskingPolicyValidator"/>
/// when a <see cref="MaskingEngine"/> is created. Entity types without a rule use <see cref="DefaultStrategies"/>.
/// </summary>
public sealed record MaskingPolicy
{
    public IReadOnlyList<MaskingRule> Rules { get; init; } = [];
    public IReadOnlyList<ScopeOverride> Overrides { get; init; } = [];
    public IReadOnlyList<CustomPattern> CustomPatterns { get; init; } = [];
    public IReadOnlyList<DenyList> DenyLists { get; init; } = [];

    /// <summary>Longest a single masking call may take before it fails closed with <see cref="MaskingFailedException"/>.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(1);
}
