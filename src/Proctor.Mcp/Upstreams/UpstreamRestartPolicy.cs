namespace Proctor.Mcp.Upstreams;

/// <summary>
/// How an upstream is supervised: exponential backoff between reconnection attempts, capped, and the
/// liveness checks of a connected upstream. The backoff restarts from <see cref="InitialBackoff"/> after a
/// connection that stayed ready for <see cref="MaxBackoff"/> (a healthy start); one that fails sooner
/// counts as another failure, so a crash loop keeps backing off.
/// </summary>
public sealed record UpstreamRestartPolicy(TimeSpan InitialBackoff, TimeSpan MaxBackoff, TimeSpan HandshakeTimeout)
{
    /// <summary>An upstream silent this long is sent a ping (<c>upstreams.X.pingInterval</c>).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A ping unanswered this long, or a message the link could not take for this long, makes the
    /// upstream stalled. The upstream's call timeout: a call would have failed by then anyway.
    /// </summary>
    public TimeSpan StallAfter { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan Backoff(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Min(Math.Max(failedAttempts - 1, 0), 16));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay;
    }
}
