using Proctor.Approvals.Desk;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Configuration.Models;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Pipeline.Stages;

/// <summary>
/// Maker-checker for calls the policy decided need approval (docs/approvals.md, decision 0037). The call runs only by
/// spending an approved request for exactly this call (identity, server, tool, arguments, policy hash, rule), once: the
/// store's compare-and-set lets one of two identical calls spend it, and <c>approval.use</c> is recorded before the call
/// goes on. Otherwise the call's request is found or made (<c>approval.request</c>, masked arguments) and a session-era
/// call is held up to <c>approvals.holdTime</c>: an approval releases it at once, a denial refuses it, and when time is
/// up the caller gets a tool result with <c>isError</c> naming the approval id and what to do. A 2026-07-28 call gets
/// that answer at once (decision 0037: the multi round-trip form is left). After ToolPin: a blocked tool never makes a
/// request approvers would approve in vain; before Mask and Record: a held call is not a call.request until it runs.
/// </summary>
/// <param name="held">Where approvers read a held call's arguments masked for their own groups (none: they read the stored copy).</param>
internal sealed class ApproveStage(ApprovalDesk desk, ArgumentDigest digest, IPayloadMasker masker, ApprovalSettings settings, IdentitySettings? identity, Uri apiBase, TimeProvider time, HeldArguments? held = null) : ICallStage
{
    /// <summary>The CLI decides in another process, which no in-process signal reaches: a held call reads its request this often.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    /// <summary>Progress while held, for clients that asked for it; also keeps proxies from timing an idle stream out.</summary>
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    private int _held;

    /// <remarks>A call that already spent its approval (a later input round of the same call, InputRequiredBridge) goes on.</remarks>
    public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken) =>
        context is { ApprovalRequired: { } decision, ApprovalUsed: null } ? ApproveAsync(context, decision, next, cancellationToken) : next(context, cancellationToken);

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

        var binding = CallApprovals.Binding(context, digest);
        var draft = CallApprovals.Draft(context, binding, groups, requirement.MinApprovals, decision.Message, masker);
        var caller = CallApprovals.Actor(context.Caller);
        var request = await RecordedAsync(() => desk.OpenAsync(draft, caller, context.CallId, cancellationToken)).ConfigureAwait(false);
        if (await TryRunAsync(context, request, binding, caller, next, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (context.Caller.SessionId is null)
        {
            ApprovalAnswers.NotYet(context, request, Status(request), ReasonCodes.ApprovalPending);
            return;
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
            await HoldAsync(context, request, draft, binding, caller, next, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _held);
        }
    }

    private async Task HoldAsync(CallContext context, ApprovalRequest request, ApprovalDraft draft, CallBinding binding, Proctor.Approvals.Evidence.ApprovalActor caller, CallDelegate next, CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var deadline = started + settings.HoldTime;
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
                    ApprovalAnswers.NotYet(context, request, Status(request), ReasonCodes.ApprovalPending);
                    return;
                }

                if (progressToken is not null && now >= nextProgress)
                {
                    await context.Sink.OnNotificationAsync(ApprovalAnswers.Progress(progressToken, request, now - started, settings.HoldTime), cancellationToken).ConfigureAwait(false);
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

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
