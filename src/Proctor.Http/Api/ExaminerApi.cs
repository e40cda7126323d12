using Microsoft.AspNetCore.Http;
using Proctor.Http.Identity;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Proofs;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;

namespace Proctor.Http.Api;

/// <summary>
/// The read-only REST API over the audit ledger (docs/api.md): sessions, their replay, the latest signed
/// checkpoint, inclusion proofs and a full verification, in the JSON of the CLI's <c>--json</c>. Every request
/// has passed the ledger-reader policy (<see cref="Identity.LedgerReaderRequirement"/>), and is itself recorded (<c>audit.read</c>) before anything is read.
/// </summary>
internal sealed partial class ExaminerApi(IAuditReadRecorder recorder, ExaminerSources sources)
{
    /// <summary>One full verification at a time: it reads the whole ledger, and a second one would only halve the speed of both.</summary>
    private readonly SemaphoreSlim _verification = new(1, 1);

    public Task ListSessionsAsync(HttpContext context) => ServeAsync(context, async () =>
    {
        var (query, problem) = SessionFilter.Parse(context.Request.Query);
        if (query is null)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_filter", problem!).ConfigureAwait(false);
            return;
        }

        var sessions = await sources.Events.ListSessionsAsync(query, context.RequestAborted).ConfigureAwait(false);
        await ApiReplies.JsonAsync(context, ExaminerJson.Sessions(sessions)).ConfigureAwait(false);
    });

    public Task ShowSessionAsync(HttpContext context) => WithSessionAsync(context, ExaminerJson.Show);

    public Task ReplaySessionAsync(HttpContext context) => WithSessionAsync(context, ExaminerJson.Replay);

    public Task CheckpointAsync(HttpContext context) => ServeAsync(context, async () =>
    {
        if (await sources.Checkpoints.GetLatestCheckpointAsync(context.RequestAborted).ConfigureAwait(false) is not { } latest)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, "no_checkpoint", "No checkpoint is signed yet: the gateway signs one every 10 seconds while it runs.").ConfigureAwait(false);
            return;
        }

        await ApiReplies.JsonAsync(context, ExaminerJson.Checkpoint(latest, sources.VerifierKey)).ConfigureAwait(false);
    });

    public Task ProofAsync(HttpContext context) => ServeAsync(context, async () =>
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (await sources.Events.FindEventAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } found)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, "unknown_event", $"No event {id} in the ledger; event ids are listed by /api/sessions/{{id}}.").ConfigureAwait(false);
            return;
        }

        try
        {
            var proof = await InclusionProof.CreateAsync(sources.Entries, sources.Checkpoints, sources.VerifierKey, found.Index, context.RequestAborted).ConfigureAwait(false);
            await ApiReplies.RawJsonAsync(context, proof.ToJson()).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            // Not yet under a checkpoint, or purged under retention: the event exists, the proof cannot (yet).
            await ApiReplies.ErrorAsync(context, StatusCodes.Status409Conflict, "no_proof", ex.Message).ConfigureAwait(false);
        }
    });

    public Task VerifyAsync(HttpContext context) => ServeAsync(context, async () =>
    {
        if (!await _verification.WaitAsync(TimeSpan.Zero, context.RequestAborted).ConfigureAwait(false))
        {
            context.Response.Headers.RetryAfter = "60";
            await ApiReplies.ErrorAsync(context, StatusCodes.Status429TooManyRequests, "verification_running", "A verification of the whole ledger is already running; retry when it is done, or run 'proctor audit verify' on a copy of the database.").ConfigureAwait(false);
            return;
        }

        try
        {
            var result = await new LedgerVerifier(sources.Entries, sources.Checkpoints, sources.VerifierKey).VerifyAsync(null, context.RequestAborted).ConfigureAwait(false);
            await ApiReplies.JsonAsync(context, ExaminerJson.Verification(result)).ConfigureAwait(false);
        }
        finally
        {
            _verification.Release();
        }
    });

    private Task WithSessionAsync(HttpContext context, Func<SessionTimeline, System.Text.Json.Nodes.JsonObject> project) => ServeAsync(context, async () =>
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (await SessionTimeline.ReadAsync(sources.Events, id, context.RequestAborted).ConfigureAwait(false) is not { } timeline)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, "unknown_session", $"No session {id} in the ledger; /api/sessions lists the recorded ones.").ConfigureAwait(false);
            return;
        }

        await ApiReplies.JsonAsync(context, project(timeline)).ConfigureAwait(false);
    });

    /// <summary>Records the read of the caller the policy admitted, then serves; a ledger that cannot record the read serves nothing.</summary>
    private async Task ServeAsync(HttpContext context, Func<Task> serve)
    {
        var caller = context.Caller();
        try
        {
            var request = context.Request;
            await recorder.RecordReadAsync(caller, request.Method, request.Path, request.QueryString.HasValue ? request.QueryString.Value : null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            context.Response.Headers.RetryAfter = "5";
            await ApiReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ledger_unavailable", $"The read could not be recorded in the ledger, so it is not served: {ex.Reason}").ConfigureAwait(false);
            return;
        }

        await serve().ConfigureAwait(false);
    }
}
