namespace Proctor.Configuration;

/// <summary>
/// The <c>gateway:</c> section. <see cref="AllowedOrigins"/> holds normalized origins
/// (<c>scheme://host[:port]</c>, lower case, default port omitted) as browsers send them in the
/// <c>Origin</c> header.
/// </summary>
public sealed record GatewaySettings(
    Uri Listen,
    IReadOnlyList<string> AllowedOrigins,
    long MaxRequestBytes,
    TimeSpan RequestTimeout,
    TimeSpan ShutdownTimeout)
{
    public GatewayLimits Limits { get; init; } = GatewayLimits.Default;
}

/// <summary>
/// What one identity may hold, and what all together may (docs/configuration.md): sessions per identity under a
/// total that stays the backstop, calls in flight per identity, and calls started per second per identity.
/// </summary>
public sealed record GatewayLimits(int MaxSessions, int MaxSessionsPerIdentity, int MaxConcurrentCallsPerIdentity, int MaxCallsPerSecondPerIdentity)
{
    public static GatewayLimits Default { get; } = new(
        Options.GatewayOptions.DefaultMaxSessions,
        Options.GatewayOptions.DefaultMaxSessionsPerIdentity,
        Options.GatewayOptions.DefaultMaxConcurrentCallsPerIdentity,
        Options.GatewayOptions.DefaultMaxCallsPerSecondPerIdentity);
}
