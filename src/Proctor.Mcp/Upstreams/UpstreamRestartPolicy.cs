namespace Proctor.Mcp.Upstreams;

/// <summary>Exponential backoff between reconnection attempts, capped; reset after a successful link.</summary>
public sealed record UpstreamRestartPolicy(TimeSpan InitialBackoff, TimeSpan MaxBackoff, TimeSpan HandshakeTimeout)
{
    public TimeSpan Backoff(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Min(Math.Max(failedAttempts - 1, 0), 16));
        var delay = TimeSpan.FromTicks((long)Math.Min(InitialBackoff.Ticks * factor, MaxBackoff.Ticks));
        return delay;
    }
}
