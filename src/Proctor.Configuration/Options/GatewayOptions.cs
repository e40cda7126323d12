namespace Proctor.Configuration.Options;

/// <summary>The <c>gateway:</c> section as written.</summary>
internal sealed class GatewayOptions
{
    public const string DefaultListen = "http://127.0.0.1:8080";
    public const string DefaultMaxRequestBytes = "4MiB";
    public const string DefaultRequestTimeout = "60s";
    public const string DefaultShutdownTimeout = "10s";

    /// <summary>Open sessions of all identities together: the backstop that bounds memory whatever the per-identity limits.</summary>
    public const int DefaultMaxSessions = 10_000;

    /// <summary>One identity's share of <see cref="DefaultMaxSessions"/>: an IDE or agent holds a few sessions; a hundred leaves room for a shared agent key.</summary>
    public const int DefaultMaxSessionsPerIdentity = 100;

    /// <summary>The benchmark's highest level (docs/PERFORMANCE.md, concurrency 64) runs unrefused; it already saturates 2 vCPU at 32.</summary>
    public const int DefaultMaxConcurrentCallsPerIdentity = 64;

    /// <summary>About a quarter of what 2 vCPU serve with durable audit (~2,200 calls/s, docs/PERFORMANCE.md), so one identity cannot starve the rest.</summary>
    public const int DefaultMaxCallsPerSecondPerIdentity = 500;

    public string? Listen { get; set; }

    /// <summary>Browser origins allowed; requests without an Origin header are always allowed. Default: none.</summary>
    public List<string>? AllowedOrigins { get; set; }

    public string? MaxRequestBytes { get; set; }

    /// <summary>Default timeout of one upstream call; an upstream's own <c>timeout</c> overrides it.</summary>
    public string? RequestTimeout { get; set; }

    public string? ShutdownTimeout { get; set; }

    public string? MaxSessions { get; set; }

    public string? MaxSessionsPerIdentity { get; set; }

    public string? MaxConcurrentCallsPerIdentity { get; set; }

    public string? MaxCallsPerSecondPerIdentity { get; set; }
}
