using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Configuration.Models;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Maker-checker for calls the policy decided need approval (docs/approvals.md, decisions 0037 and 0042). The call runs
/// only by spending an approved request for exactly this call (identity, server, tool, arguments, policy hash, rule),
/// once: the store's compare-and-set lets one of two identical calls spend it, and <c>approval.use</c> is recorded before
/// the call goes on. Otherwise the call's request is found or made (<c>approval.request</c>, masked arguments; a caller
/// whose client can show a form is first asked why) and the call waits: a session-era call is held up to
/// <c>approvals.holdTime</c> and then told "not yet" with a tool result with <c>isError</c>; a 2026-07-28 call whose client
/// opens URLs gets <c>input_required</c> pointing at the status page, with a protected <c>requestState</c>, and its retry
/// is held the same way (decision 0042). An approval releases a held call at once, a denial refuses it. After ToolPin: a
/// blocked tool never makes a request approvers would approve in vain; before Mask and Record: a held call is not a
/// call.request until it runs.
/// </summary>
/// <param name="held">Where approvers read a held call's arguments masked for their own groups (none: they read the stored copy).</param>
internal sealed partial class ApproveStage(ApprovalDesk desk, ArgumentDigest digest, ApprovalRequestState requestState, IPayloadMasker masker, ApprovalSettings settings, IdentitySettings? identity, Uri apiBase, TimeProvider time, ILogger<ApproveStage> logger, HeldArguments? held = null) : ICallStage
{
    /// <summary>The CLI decides in another process, which no in-process signal reaches: a held call reads its request this often.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Progress while held, for clients that asked for it; also keeps proxies from timing an idle stream out.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a request state is good: the spec asks for a short expiry (mrtr, server requirement 5); this outlasts a
    /// client's round (a hold of at most 55 s, then its retry) many times, as the session-era bridge's held calls do.
    /// </summary>
    private static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    private readonly CallJustifications justifications = new(desk, time, logger);

    private int _held;

    /// <remarks>
    /// A call that already spent its approval (a later input round of the same call, InputRequiredBridge) goes on. So does
    /// a 2026-07-28 retry of the approval flow's round once the policy no longer asks for approval, without the round:
    /// the upstream never receives the gateway's state or the answers meant for it.
    /// </remarks>
    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
    {
        if (context is { ApprovalRequired: { } decision, ApprovalUsed: null })
        {
            return ApproveAsync(context, decision, next, cancellationToken);
        }

        if (context.Caller.SessionId is null && ModernApprovalAnswers.PresentedState(context.Request) is not null)
        {
            ModernApprovalAnswers.TakeInput(context);
        }

        return next(context, cancellationToken);
    }

    private async Task ApproveAsync(CallContext context, PolicyDecision decision, CallDelegate next, CancellationToken cancellationToken)
    {
        var requirement = decision.Approval ?? new ApprovalRequirement([], 1);
        var groups = CallApprovals.ApproverGroups(requirement, identity);
        if (groups.Count == 0)
        {
            context.Refuse(ReasonCodes.ApprovalNoApprovers,
                $"This call needs approval (policy rule '{decision.RuleId}'), but the rule names no approver groups and no group holds the approver role, so nobody could approve it; it was not run. Ask the policy's owner to add approval: {{ approvers: [GROUP] }} to the rule.");
            return;
        }

        var deadline = time.GetUtcNow() + settings.HoldTime; // asking for a justification counts against the hold
        var binding = CallApprovals.Binding(context, digest);
        if (!TryReadRound(context, binding, out var round))
        {
            return;
        }

        if (round is { Claims.ApprovalId: { } waitedOn } && await desk.FindAsync(waitedOn, cancellationToken).ConfigureAwait(false) is { } decided
            && decided.Binding == binding && ApprovalRules.StateAt(decided, time.GetUtcNow()) == ApprovalState.Denied)
        {
            ApprovalAnswers.Denied(context, decided); // the decision on the request this caller waits on, as a held session call learns it
            return;
        }

        if (round is null && context.Caller.SessionId is null && await justifications.ShouldAskAsync(context, binding, cancellationToken).ConfigureAwait(false))
        {
            ModernApprovalAnswers.AskJustification(context, binding.Rule, decision.Message, Protect(new RequestStateClaims(null, RequestStateRound.Justification, time.GetUtcNow() + StateLifetime), binding));
            return;
        }

        var justification = await justifications.AnswerAsync(context, binding, decision.Message, round, deadline, cancellationToken).ConfigureAwait(false);
        var draft = CallApprovals.Draft(context, binding, groups, requirement.MinApprovals, decision.Message, masker, justification);
        var caller = CallApprovals.Actor(context.Caller);
        var request = await RecordedAsync(() => desk.OpenAsync(draft, caller, context.CallId, cancellationToken)).ConfigureAwait(false);
        if (await TryRunAsync(context, request, binding, caller, next, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        Action<ApprovalRequest> stillPending = pending => ApprovalAnswers.NotYet(context, pending, Status(pending), ReasonCodes.ApprovalPending);
        if (context.Caller.SessionId is null)
        {
            if (!ApprovalElicitation.SupportsUrl(context.Sink.ClientCapabilities) || round is { Declined: true })
            {
                stillPending(request);
                return;
            }

            if (round is not { Claims: { Round: RequestStateRound.Waiting } or { Round: RequestStateRound.StatusPage }, Accepted: true } || round.Claims.ApprovalId != request.Id)
            {
                ModernApprovalAnswers.AskToWait(context, request, Page(request), Protect(WaitingOn(request, RequestStateRound.StatusPage), binding));
                return;
            }

            deadline = time.GetUtcNow() + settings.HoldTime;
            stillPending = pending => ModernApprovalAnswers.StillWaiting(context, pending, Protect(WaitingOn(pending, RequestStateRound.Waiting), binding));
        }

        if (Interlocked.Increment(ref _held) > settings.MaxHeldCalls)
        {
            Interlocked.Decrement(ref _held);
            ApprovalAnswers.NotYet(context, request, Status(request), ReasonCodes.ApprovalTooManyHeld,
                $"The gateway holds {settings.MaxHeldCalls} calls for approval already (approvals.maxHeldCalls), so this one is answered at once. ");
            return;
        }

        try
        {
            await HoldAsync(context, request, draft, binding, caller, deadline, stillPending, next, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }

    /// <summary>
    /// The gateway's round a 2026-07-28 retry answers, verified and taken off the request; null when it answers none (a
    /// first call, or a session). False when its state fails verification: the call is refused, nothing it claims trusted.
    /// </summary>
    private bool TryReadRound(CallContext context, CallBinding binding, out ModernRound? round)
    {
        round = null;
        if (context.Caller.SessionId is not null || ModernApprovalAnswers.PresentedState(context.Request) is not { } presented)
        {
            return true;
        }

        var check = requestState.Verify(presented, binding, time.GetUtcNow());
        if (check.Claims is not { } claims)
        {
            Log.StateRefused(logger, context.Caller.Key, context.Upstream.Name, context.Target, check.Explain());
            context.Refuse(ReasonCodes.ApprovalStateInvalid,
                $"The requestState sent with this call was refused: {check.Explain()}. Nothing was run. Call {context.Target} again without requestState (and without inputResponses); if the call still needs approval, the gateway answers with a new state.",
                JsonRpcErrorCodes.InvalidParams);
            return false;
        }

        round = new ModernRound(claims, ModernApprovalAnswers.TakeInput(context));
        return true;
    }

    private RequestStateClaims WaitingOn(ApprovalRequest request, RequestStateRound round) =>
        new(request.Id, round, Min(time.GetUtcNow() + StateLifetime, request.ExpiresAt));

    private string Protect(RequestStateClaims claims, CallBinding binding) => requestState.Protect(claims, binding);

    private async Task HoldAsync(CallContext context, ApprovalRequest request, ApprovalDraft draft, CallBinding binding, Proctor.Approvals.Evidence.ApprovalActor caller, DateTimeOffset deadline, Action<ApprovalRequest> stillPending, CallDelegate next, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var progressToken = context.Request["params"]?["_meta"]?["progressToken"];
        var nextProgress = started;
        var shown = Show(request, context);
        try
        {
            while (true)
            {
                var signal = desk.Signals.WaitAsync(request.Id, cancellationToken); // before the read, so a change between the two wakes us
                request = await desk.FindAsync(request.Id, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Approval request {request.Id} is gone from the database while a call waited on it.");
                var now = time.GetUtcNow();
                switch (ApprovalRules.StateAt(request, now))
                {
                    case ApprovalState.Approved when await TryRunAsync(context, request, binding, caller, next, cancellationToken).ConfigureAwait(false):
                        return;
                    case ApprovalState.Denied:
                        ApprovalAnswers.Denied(context, request);
                        return;
                    case ApprovalState.Approved or ApprovalState.Used or ApprovalState.Expired:
                        // Another identical call spent it first, or it ended: this call needs a request of its own.
                        request = await RecordedAsync(() => desk.OpenAsync(draft, caller, context.CallId, cancellationToken)).ConfigureAwait(false);
                        shown?.Dispose();
                        shown = Show(request, context);
                        continue;
                }

                if (now >= deadline)
                {
                    stillPending(request);
                    return;
                }

                if (progressToken is not null && now >= nextProgress)
                {
                    await context.Sink.OnNotificationAsync(ApprovalAnswers.Progress(progressToken, request, now - started, deadline - started), cancellationToken).ConfigureAwait(false);
                    nextProgress = now + ProgressInterval;
                }

                var wake = Min(deadline, Min(now + PollInterval, progressToken is null ? deadline : nextProgress));
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                await Task.WhenAny(signal, Task.Delay(wake - now, time, woken.Token)).ConfigureAwait(false);
                await woken.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            shown?.Dispose();
        }
    }

    /// <summary>Lets approvers read this held call's arguments as their own groups may see them, while it is held on <paramref name="request"/>.</summary>
    private IDisposable? Show(ApprovalRequest request, CallContext context) =>
        held?.Show(request.Id, context.Request, new MaskingScope(context.Upstream.Name, context.Target));

    /// <summary>Spends an approved request on this call and runs it; false when the request does not authorize it (or another call spent it).</summary>
    private async Task<bool> TryRunAsync(CallContext context, ApprovalRequest request, CallBinding binding, Proctor.Approvals.Evidence.ApprovalActor caller, CallDelegate next, CancellationToken cancellationToken)
    {
        if (!ApprovalRules.Authorizes(request, binding, time.GetUtcNow())
            || await RecordedAsync(() => desk.UseAsync(request, binding, caller, context.CallId, cancellationToken)).ConfigureAwait(false) is not { } used)
        {
            return false;
        }

        context.ApprovalUsed = used.Id;
        await next(context, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>A desk operation whose event the ledger could not take refuses the call, as Record does.</summary>
    private static async Task<T> RecordedAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return await operation().ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            throw new CallRefusedException(ReasonCodes.LedgerUnavailable,
                $"The gateway could not record this call's approval in its audit ledger ({ex.Reason}), so the call was not run. Retry once the ledger is writable again; /readyz shows its state.");
        }
    }

    private Uri Status(ApprovalRequest request) => new(apiBase, $"/api/approvals/{request.Id}");

    /// <summary>The status page a person opens (docs/approvals.md); <see cref="Status"/> is its JSON for programs.</summary>
    private Uri Page(ApprovalRequest request) => new(apiBase, $"/approvals/{request.Id}");

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static partial class Log
    {
        [LoggerMessage(EventId = 3200, Level = LogLevel.Warning, Message = "A 2026-07-28 call by {Caller} to {Server}/{Tool} presented an approval requestState that was refused: {Reason}. The call was refused (approval.state_invalid). Repeated, this is a client altering or replaying state.")]
        public static partial void StateRefused(ILogger logger, string caller, string server, string? tool, string reason);
    }
}
