using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// One structured log line and one set of metrics per call: who, what, outcome, latency. It is the
/// operational trace, not the evidence: the tamper-evident ledger takes the Record slot after the
/// Mask slot (see PipelineDefinition). It names the target as Mask masked it (empty if Mask did not
/// run), never arguments or results, so it cannot leak payload data.
/// </summary>
internal sealed partial class CallTelemetryStage(ILogger<CallTelemetryStage> logger, GatewayMetrics metrics) : ICallStage
{
    public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var outcome = Outcome(context);
            metrics.RecordCall(context.Upstream.Name, context.Method, outcome, elapsed);
            Log.Call(logger, context.Caller.Subject, context.Upstream.Name, context.Method, context.RecordedTarget ?? "", outcome, elapsed.TotalMilliseconds);
        }
    }

    /// <summary>A short, bounded set of values (they become metric tags): ok, error codes, reason codes, cancelled.</summary>
    private static string Outcome(CallContext context) =>
        context.Refusal?.ReasonCode
        ?? (context.Response is { } response && JsonRpc.IsError(response) ? $"error {response["error"]?["code"]}" : context.Response is null ? "cancelled" : "ok");

    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "call {Caller} {Upstream} {Method} {Target} -> {Outcome} in {ElapsedMs:F2} ms")]
        public static partial void Call(ILogger logger, string caller, string upstream, string method, string target, string outcome, double elapsedMs);
    }
}
