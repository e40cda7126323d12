namespace Proctor.Configuration.Options;

/// <summary>
/// The configuration as the operator wrote it (file plus environment overrides), before validation.
/// Every setting is text exactly as found, or null when not written; defaults apply when the model is built.
/// </summary>
internal sealed class ProctorOptions
{
    public GatewayOptions Gateway { get; } = new();

    public LoggingOptions Logging { get; } = new();

    public StorageOptions Storage { get; } = new();

    /// <summary>Null when the file has no <c>identity:</c> section.</summary>
    public IdentityOptions? Identity { get; set; }

    /// <summary>Null when the file has no <c>masking:</c> section.</summary>
    public MaskingOptions? Masking { get; set; }

    /// <summary>Upstreams in the order written.</summary>
    public OrderedDictionary<string, UpstreamOptions> Upstreams { get; } = new(StringComparer.Ordinal);
}
