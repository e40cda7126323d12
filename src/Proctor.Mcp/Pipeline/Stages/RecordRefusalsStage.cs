using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Denied attempts are evidence too (AC-3, IA-2): a call that a stage before Record refused (identity
/// requirements, policy, approvals, masking) is recorded as <c>call.refused</c> with who asked, the
/// server, method and target (masked as Mask masks it), and the reason code. Its arguments are not recorded: they were never masked.
/// First in the pipeline, so it sees every refusal; a call whose request Record committed is already in the ledger.
/// </summary>
internal sealed partial class RecordRefusalsStage(ICallRecorder recorder, IPayloadMasker masker, ILogger<RecordRefusalsStage> logger) : ICallStage
{
    public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await next(context, cancellationToken).ConfigureAwait(false);
        if (context.Refusal is not { } refusal || context.RequestRecorded)
        {
            return;
        }

        // Kept on the context so the call's log line (CallTelemetryStage, outside this stage) names the same masked target.
        context.RecordedTarget = MaskStage.StoredTarget(masker, context);
        try
        {
            // Not cancellable: the caller may leave, the refusal it was given stays on record.
            await recorder.RecordAsync(new CallRecord(CallRecordKind.Refused, context.CallId, context.Caller, context.Upstream.Name, context.Method, context.RecordedTarget,
                context.Response is null ? null : new MaskedPayload(context.Response, ReadOnlyDictionary<string, int>.Empty), Stopwatch.GetElapsedTime(started)) { Decision = context.Decision, RefusalReason = refusal.ReasonCode }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RecordingFailedException ex)
        {
            // The caller is refused either way; its refusal keeps its own reason rather than becoming a ledger error.
            Log.NotRecorded(logger, context.Method, context.Upstream.Name, refusal.ReasonCode, ex.Message);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "Refusal of {Method} to {Upstream} ({Reason}) could not be recorded in the audit ledger: {Failure}")]
        public static partial void NotRecorded(ILogger logger, string method, string upstream, string reason, string failure);
    }
}
