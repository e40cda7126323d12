using Microsoft.Extensions.Logging;

namespace Proctor.Mcp.Pipeline;

/// <summary>
/// The operational record of one call: one log line (event 1010) and the call metrics. Written by
/// <see cref="Stages.CallTelemetryStage"/> for every call that enters the pipeline, and by the transport for a
/// call it refuses before reading it (HTTP 403 <c>insufficient_scope</c> on <c>/mcp/{server}</c>), so that
/// refusals of every kind show up in both. It names the target, never arguments or results.
/// </summary>
public sealed partial class CallTelemetry(ILogger<CallTelemetry> logger, GatewayMetrics metrics)
{
    /// <summary>A target longer than this is cut in the log line; the ledger keeps the whole request.</summary>
    private const int MaxLoggedTarget = 256;

    /// <param name="method">The call's method as sent, or <see cref="MetricLabels.UnreadMethod"/>; logged and tagged from the closed set of <see cref="MetricLabels"/>.</param>
    /// <param name="outcome">From <see cref="MetricLabels.Outcome"/>.</param>
    public void Record(string caller, string upstream, string method, string? target, string outcome, TimeSpan elapsed)
    {
        var label = MetricLabels.Method(method);
        metrics.RecordCall(upstream, label, outcome, elapsed);
        Log.Call(logger, caller, upstream, label, Printable(target), outcome, elapsed.TotalMilliseconds);
    }

    /// <summary>One line per call: a target with control characters (a caller's tool name) must not start a forged line.</summary>
    private static string Printable(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return "";
        }

        var text = target.Length > MaxLoggedTarget ? target[..MaxLoggedTarget] + "…" : target;
        return text.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || text.Contains('\u007f', StringComparison.Ordinal)
            ? string.Create(text.Length, text, static (span, source) =>
            {
                for (var i = 0; i < span.Length; i++)
                {
                    span[i] = char.IsControl(source[i]) ? '?' : source[i];
                }
            })
            : text;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "call {Caller} {Upstream} {Method} {Target} -> {Outcome} in {ElapsedMs:F2} ms")]
        public static partial void Call(ILogger logger, string caller, string upstream, string method, string target, string outcome, double elapsedMs);
    }
}
