namespace Proctor.Mcp.Upstreams;

/// <summary>
/// <c>Stalled</c>: connected, but not taking messages (a stdio pipe that stays full) or not answering the
/// gateway's liveness ping; calls are refused at once instead of waiting for their timeout.
/// </summary>
public enum UpstreamState { Starting, Ready, Down, Stopped, Stalled }

/// <summary>
/// What <c>/readyz</c> shows for one upstream. <see cref="Reason"/> may quote the upstream (an
/// <c>initialize</c> error): it is passed through the masking engine before it is stored here, and is
/// shown only to authenticated auditors and admins, in caller errors and in the log (decision 0016).
/// <see cref="ReasonCode"/> is one of <see cref="UpstreamReasonCodes"/>, safe to show anyone.
/// </summary>
public sealed record UpstreamHealth(UpstreamState State, string? Reason, DateTimeOffset Since, int Restarts, string? Era)
{
    public string? ReasonCode { get; init; }
}

/// <summary>Why an upstream is not ready, as a closed set of words that never carry upstream text.</summary>
public static class UpstreamReasonCodes
{
    /// <summary>The process could not be started, or the connection could not be opened.</summary>
    public const string OpenFailed = "open_failed";

    /// <summary>The upstream refused, failed or did not answer the handshake (<c>initialize</c>, <c>server/discover</c>).</summary>
    public const string HandshakeFailed = "handshake_failed";

    /// <summary>The connection ended after the upstream was ready (process exit, connection lost, session expired).</summary>
    public const string ConnectionLost = "connection_lost";

    /// <summary>Connected but not taking messages or not answering pings.</summary>
    public const string Stalled = "stalled";

    public const string ShuttingDown = "shutting_down";
}
