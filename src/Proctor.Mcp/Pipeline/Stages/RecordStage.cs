using System.Diagnostics;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Audit before forward, record before deliver. The request's masked copy is durably committed before
/// the call goes on; every message that comes back is committed before it is delivered; a cancelled
/// call is recorded as cancelled. When the ledger cannot commit, the call is refused (before
/// forwarding) or its answer withheld (after): nothing reaches the upstream or the client unrecorded.
/// </summary>
internal sealed class RecordStage(ICallRecorder recorder) : ICallStage
{
    public async Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var request = context.RecordedRequest
            ?? throw new InvalidOperationException("The Record stage received a call without a masked copy of its request; Mask must run before Record.");
        // Not cancellable: once the request is being committed, the record completes, so that a caller who
        // leaves now still gets its request and its cancellation recorded as a pair.
        await CommitAsync(context, Record(context, CallRecordKind.Request, request, started), CancellationToken.None).ConfigureAwait(false);
        context.RequestRecorded = true;

        context.OnMessage((ctx, message, ct) => RecordMessageAsync(ctx, message, started, ct));
        try
        {
            await next(context, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller is gone, so its token is cancelled; the cancellation is still evidence.
            await CommitAsync(context, Record(context, CallRecordKind.Cancelled, null, started), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private ValueTask RecordMessageAsync(CallContext context, CallMessage message, long started, CancellationToken cancellationToken)
    {
        var stored = message.Recorded
            ?? throw new InvalidOperationException("The Record stage received a message without a masked copy; Mask must run before Record.");
        var kind = message.Kind switch
        {
            CallMessageKind.Response => CallRecordKind.Response,
            CallMessageKind.Notification => CallRecordKind.Notification,
            CallMessageKind.ServerRequest => CallRecordKind.ServerRequest,
            _ => CallRecordKind.ClientAnswer,
        };
        return CommitAsync(context, Record(context, kind, stored, started), cancellationToken);
    }

    private async ValueTask CommitAsync(CallContext context, CallRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await recorder.RecordAsync(record, cancellationToken).ConfigureAwait(false);
        }
        catch (RecordingFailedException ex)
        {
            var consequence = record.Kind switch
            {
                CallRecordKind.Request => "so the call was not forwarded",
                CallRecordKind.Cancelled => "so the call's cancellation is not in the ledger; the upstream may already have acted on it",
                _ => $"so this {record.Kind.ToString().ToLowerInvariant()} was not delivered; the upstream may already have acted on the call",
            };
            throw new CallRefusedException(ReasonCodes.LedgerUnavailable,
                $"The gateway could not record this {context.Method} in its audit ledger ({ex.Message}), {consequence}. Retry once the ledger is writable again; /readyz shows its state.");
        }
    }

    private static CallRecord Record(CallContext context, CallRecordKind kind, MaskedPayload? payload, long started) =>
        new(kind, context.CallId, context.Caller, context.Upstream.Name, context.Method, context.RecordedTarget, payload, Stopwatch.GetElapsedTime(started)) { Decision = context.Decision };
}
