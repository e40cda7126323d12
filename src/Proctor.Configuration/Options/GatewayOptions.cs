namespace Proctor.Configuration.Options;

/// <summary>The <c>gateway:</c> section as written.</summary>
internal sealed class GatewayOptions
{
    public const string DefaultListen = "http://127.0.0.1:8080";
    public const string DefaultMaxRequestBytes = "4MiB";
    public const string DefaultRequestTimeout = "60s";
    public const string DefaultShutdownTimeout = "10s";

    public string? Listen { get; set; }

    /// <summary>Browser origins allowed; requests without an Origin header are always allowed. Default: none.</summary>
    public List<string>? AllowedOrigins { get; set; }

    public string? MaxRequestBytes { get; set; }

    /// <summary>Default timeout of one upstream call; an upstream's own <c>timeout</c> overrides it.</summary>
    public string? RequestTimeout { get; set; }

    public string? ShutdownTimeout { get; set; }
}
