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

    /// <summary>
    /// The gateway's own credentials for its upstreams (resolved header, environment and client-secret
    /// references). Found like deny-list terms and always redacted as <c>gateway_secret</c>; no rule may
    /// reveal them. Values shorter than <see cref="MinGatewaySecretLength"/> are ignored: they would mask
    /// ordinary words, and are no credential worth the name. Never shown in any message.
    /// </summary>
    public IReadOnlyList<string> GatewaySecrets { get; init; } = [];

    public const int MinGatewaySecretLength = 8;

    /// <summary>Longest a single masking call may take before it fails closed with <see cref="MaskingFailedException"/>.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(1);
}
