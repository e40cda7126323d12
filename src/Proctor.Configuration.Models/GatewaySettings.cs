using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// The <c>gateway:</c> section. <see cref="AllowedOrigins"/> holds normalized origins
/// (<c>scheme://host[:port]</c>, lower case, default port omitted) as browsers send them in the
/// <c>Origin</c> header.
/// </summary>
public sealed record GatewaySettings(
    [property: Setting("a URL", "\"http://127.0.0.1:8080\"", Format = ValueFormat.Listen)] Uri Listen,
    [property: Setting("a list of origins", "\"http://localhost:6274\"", ItemWhat = "an origin", Format = ValueFormat.Origin, Set = true)] IReadOnlyList<string> AllowedOrigins,
    [property: Setting("a size", "\"4MiB\"")] long MaxRequestBytes,
    [property: Setting("a duration", "\"60s\"")] TimeSpan RequestTimeout,
    [property: Setting("a duration", "\"10s\"")] TimeSpan ShutdownTimeout)
{
    /// <summary>The documented defaults (docs/configuration.md).</summary>
    public GatewaySettings()
        : this(new Uri("http://127.0.0.1:8080"), [], 4L << 20, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(10))
    {
    }

    [Inline]
    public GatewayLimits Limits { get; init; } = GatewayLimits.Default;
}

/// <summary>
/// What one identity may hold, and what all together may (docs/configuration.md): sessions per identity under a
/// total that stays the backstop, calls in flight per identity, and calls started per second per identity.
/// </summary>
public sealed record GatewayLimits(
    [property: Setting("a whole number", "10000")] int MaxSessions,
    [property: Setting("a whole number", "100")] int MaxSessionsPerIdentity,
    [property: Setting("a whole number", "64")] int MaxConcurrentCallsPerIdentity,
    [property: Setting("a whole number", "500")] int MaxCallsPerSecondPerIdentity)
{
    /// <summary>
    /// 10,000 sessions: the backstop that bounds memory whatever the per-identity limits. 100 per identity: an IDE
    /// or agent holds a few; a hundred leaves room for a shared agent key. 64 in flight: the benchmark's highest
    /// level (docs/PERFORMANCE.md, concurrency 64) runs unrefused. 500 per second: about a quarter of what
    /// 2 vCPU serve with durable audit (~2,200 calls/s), so one identity cannot starve the rest.
    /// </summary>
    public GatewayLimits()
        : this(10_000, 100, 64, 500)
    {
    }

    public static GatewayLimits Default { get; } = new();

    /// <summary>
    /// Events each session-era session keeps for clients that resume a stream with <c>Last-Event-ID</c>; 0 keeps
    /// none (streams still carry ids, a resume is refused as gone). 256: a long call's progress with room to spare.
    /// </summary>
    [Setting("a whole number", "256", Minimum = "0", Maximum = "100000")]
    public int MaxReplayEventsPerSession { get; init; } = 256;

    /// <summary>
    /// Bytes of delivered JSON each session keeps for replay, with <see cref="MaxReplayEventsPerSession"/>: whichever is
    /// reached first drops the oldest. At most <see cref="MaxSessions"/> times this in all (2.5 GiB at the defaults, if
    /// every session streamed that much); an event larger than this is delivered but never replayable.
    /// </summary>
    [Setting("a size", "\"256KiB\"", Minimum = "1KiB", Maximum = "64MiB")]
    public long MaxReplayBytesPerSession { get; init; } = 256 * 1024;
}
