using Microsoft.Extensions.Logging;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Requests;
using Proctor.Mcp.Pipeline;

namespace Proctor.Mcp.Approvals;

/// <summary>
/// Asking a caller why, before its call makes a new approval request (decision 0042): only when its client can show a
/// form, it sent no <c>_meta["proctor/justification"]</c>, and no request exists for the call yet. A session is asked on
/// the call's stream, within the hold; a 2026-07-28 caller is asked with an <c>input_required</c> round (ApproveStage) and
/// its answer comes with the retry. Declined, cancelled or unanswered: the request is made without a reason.
/// </summary>
internal sealed partial class CallJustifications(ApprovalDesk desk, TimeProvider time, ILogger logger)
{
    /// <summary>The caller's answer to the justification form: from its retry (2026-07-28, <paramref name="round"/>), or asked now on its session's stream; null when none.</summary>
    public async Task<string?> AnswerAsync(CallContext context, CallBinding binding, string? reason, ModernRound? round, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        if (round is { Claims.Round: RequestStateRound.Justification })
        {
            return ApprovalElicitation.Justification(round.Answers[ApprovalElicitation.JustificationInput]);
        }

        return context.Caller.SessionId is not null && await ShouldAskAsync(context, binding, cancellationToken).ConfigureAwait(false)
            ? await JustificationOverSessionAsync(context, binding.Rule, reason, deadline, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Whether to ask for a justification: the client can show a form, the caller sent none, and the call would make a new request.</summary>
    public async Task<bool> ShouldAskAsync(CallContext context, CallBinding binding, CancellationToken cancellationToken) =>
        ApprovalElicitation.SupportsForm(context.Sink.ClientCapabilities) && !CallApprovals.HasJustification(context.Request)
        && await desk.FindOpenAsync(binding, cancellationToken).ConfigureAwait(false) is null;

    /// <summary>Asks a session-era caller for a justification on the call's stream, waiting at most until <paramref name="deadline"/>; null when declined or not answered.</summary>
    private async Task<string?> JustificationOverSessionAsync(CallContext context, string rule, string? reason, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var timer = new CancellationTokenSource(Max(deadline - time.GetUtcNow(), TimeSpan.Zero), time);
        using var registration = timer.Token.Register(bounded.Cancel);
        try
        {
            var request = ApprovalElicitation.Request($"proctor-justification-{context.CallId}", ApprovalElicitation.JustificationForm(context.Target!, rule, reason));
            var answer = await context.Sink.OnServerRequestAsync(request, bounded.Token).ConfigureAwait(false);
            return ApprovalElicitation.Justification(answer["result"]);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.JustificationUnanswered(logger, context.Caller.Key, context.Target);
            return null; // the request is still made, without a reason (decision 0042)
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "{Caller} did not answer the justification form for {Tool} within the hold; the approval request is made without a reason.")]
        public static partial void JustificationUnanswered(ILogger logger, string caller, string? tool);
    }
}
