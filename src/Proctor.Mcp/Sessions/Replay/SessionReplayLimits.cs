using Proctor.Configuration.Models;

namespace Proctor.Mcp.Sessions.Replay;

/// <summary>
/// How much of what a session's streams sent the gateway keeps for clients that resume with <c>Last-Event-ID</c>
/// (<c>gateway.maxReplayEventsPerSession</c>, <c>gateway.maxReplayBytesPerSession</c>). The oldest events go first;
/// an event larger than <see cref="MaxBytes"/> is delivered but never kept.
/// </summary>
public sealed record SessionReplayLimits(int MaxEvents, long MaxBytes)
{
    /// <summary>The configuration's defaults (docs/configuration.md).</summary>
    public static SessionReplayLimits Default { get; } = new(GatewayLimits.Default.MaxReplayEventsPerSession, GatewayLimits.Default.MaxReplayBytesPerSession);
}
