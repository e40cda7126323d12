using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// One structured log line per call: who, what, outcome, latency. It is the operational trace, not
/// the evidence: the tamper-evident ledger takes the Record slot after the Mask slot (see Stages.cs).
/// It logs the target name, never arguments or results, so it cannot leak payload data.
/// </summary>
internal sealed partial class CallLogStage(ILogger<CallLogStage> logger) : ICallStage
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
            var outcome = context.Refusal?.ReasonCode ?? (context.Response is { } r && JsonRpc.IsError(r) ? $"error {r["error"]?["code"]}" : context.Response is null ? "cancelled" : "ok");
            Log.Call(logger, context.Caller.Subject, context.Upstream.Name, context.Method, context.Target ?? "", outcome, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "call {Caller} {Upstream} {Method} {Target} -> {Outcome} in {ElapsedMs:F2} ms")]
        public static partial void Call(ILogger logger, string caller, string upstream, string method, string target, string outcome, double elapsedMs);
    }
}
