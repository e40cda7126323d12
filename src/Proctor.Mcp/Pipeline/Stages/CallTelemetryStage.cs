using System.Diagnostics;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// One structured log line and one set of metrics per call: who, what, outcome, latency
/// (<see cref="CallTelemetry"/>). It is the operational trace, not the evidence: the tamper-evident ledger
/// takes the Record slot. It runs outermost, so that refusals by any stage, identity requirements
/// included, are counted and logged like every other outcome. It names the target as masked for the
/// ledger (by Mask, or by RecordRefusals for a refusal before it; empty if neither ran), never arguments
/// or results, so it cannot leak payload data.
/// </summary>
internal sealed class CallTelemetryStage(CallTelemetry telemetry) : ICallStage
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
            telemetry.Record(context.Caller.Subject, context.Upstream.Name, context.Method, context.RecordedTarget,
                MetricLabels.Outcome(context.Refusal?.ReasonCode, context.Response), Stopwatch.GetElapsedTime(started));
        }
    }
}
