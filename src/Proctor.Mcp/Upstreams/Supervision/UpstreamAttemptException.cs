namespace Proctor.Mcp.Upstreams.Supervision;

/// <summary>A connection attempt that failed, with the closed-set code <c>/readyz</c> shows to anyone (<see cref="UpstreamReasonCodes"/>).</summary>
internal sealed class UpstreamAttemptException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
