using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Approvals.Store;
using Proctor.Configuration.Models;
using Proctor.Http.Identity;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Http.Api;

/// <summary>
/// <c>/api/approvals</c> (docs/api.md, docs/approvals.md): approvers, auditors and admins list and read requests (each
/// read recorded first as <c>audit.read</c>, like the examiner API); approvers approve or deny through the desk, which
/// applies the same rules as every other surface (never the requester, only the request's approver groups, each
/// approver once) and records the decision before it takes effect. A comment is masked before it is stored.
/// </summary>
/// <param name="held">Arguments of calls held now, which a reader sees masked for their own groups; the stored copy otherwise.</param>
internal sealed partial class ApprovalsApi(ApprovalDesk desk, IAuditReadRecorder recorder, IPayloadMasker masker, IdentitySettings? identity, TimeProvider time, HeldArguments? held = null)
{
    /// <summary>A comment is a sentence or two; the body that carries it is bounded well above that.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    private const int MaxCommentChars = 1000;

    public Task ListAsync(HttpContext context) => ReadAsync(context, async () =>
    {
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(key => key is not ("state" or "limit")) is { } unknown)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_filter", $"'{unknown}' is not a filter of /api/approvals; use state and limit.").ConfigureAwait(false);
            return;
        }

        ApprovalState? state = null;
        if (query["state"].ToString() is { Length: > 0 } name)
        {
            if (!ApprovalStates.TryParse(name, out var parsed))
            {
                await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_filter", $"'state' ('{name}') is not a state; use pending, approved, denied, expired or used.").ConfigureAwait(false);
                return;
            }

            state = parsed;
        }

        var limit = 100;
        if (query["limit"].ToString() is { Length: > 0 } text && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > SessionFilter.MaxLimit))
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_filter", $"'limit' ('{text}') must be a whole number from 1 to {SessionFilter.MaxLimit}.").ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        var requests = await desk.ListAsync(new ApprovalQuery(state == ApprovalState.Expired ? null : state, limit), context.RequestAborted).ConfigureAwait(false);
        // As read now: a request stored pending past its window is listed as expired, not as pending.
        var shown = requests.Where(r => state is null || ApprovalRules.StateAt(r, now) == state).Select(r => (JsonNode)AsReadBy(context, r, now));
        await ApiReplies.JsonAsync(context, new JsonArray([.. shown])).ConfigureAwait(false);
    });

    public Task ShowAsync(HttpContext context) => ReadAsync(context, async () =>
    {
        if (await FindAsync(context) is { } request)
        {
            await ApiReplies.JsonAsync(context, AsReadBy(context, request, time.GetUtcNow())).ConfigureAwait(false);
        }
    });

    /// <summary>
    /// The request as this reader sees it: while a call is held on it, its arguments masked for the reader's groups
    /// (<c>"arguments_from": "held_call"</c>); otherwise the stored masked copy (<c>"stored"</c>).
    /// </summary>
    private JsonObject AsReadBy(HttpContext context, ApprovalRequest request, DateTimeOffset now)
    {
        var json = ApprovalJson.Of(request, now);
        var live = held?.For(request.Id, context.Caller().Groups);
        if (live is not null)
        {
            json["arguments"] = live;
        }

        json["arguments_from"] = live is null ? "stored" : "held_call";
        return json;
    }

    public Task ApproveAsync(HttpContext context) => DecideAsync(context, approve: true);

    public Task DenyAsync(HttpContext context) => DecideAsync(context, approve: false);

    private async Task DecideAsync(HttpContext context, bool approve)
    {
        var caller = context.Caller();
        if (identity?.Grants(IdentityRoles.Approver, caller.Groups) != true)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, "insufficient_role",
                $"'{caller.Subject}' does not hold the approver role, which approving and denying need (groups: {(caller.Groups.Count == 0 ? "none" : string.Join(", ", caller.Groups))}); identity.roles.approver names its groups.").ConfigureAwait(false);
            return;
        }

        var (comment, problem) = await CommentAsync(context).ConfigureAwait(false);
        if (problem is not null)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_body", problem).ConfigureAwait(false);
            return;
        }

        var id = (string)context.Request.RouteValues["id"]!;
        var approver = new Approver(caller.Key, caller.Subject, caller.Groups);
        var actor = new ApprovalActor(caller.Subject)
        {
            Issuer = caller.Issuer,
            Groups = caller.Groups,
            AuthMethod = caller.AuthenticationMethod,
            AuthenticationMethods = caller.AuthenticationMethods,
            SourceAddress = caller.SourceAddress?.ToString(),
            Via = "rest",
        };
        ApprovalDecision decision;
        try
        {
            decision = await desk.DecideAsync(id, approver, actor, approve, comment, context.RequestAborted).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            context.Response.Headers.RetryAfter = "5";
            await ApiReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ledger_unavailable", $"The decision could not be recorded in the ledger, so it was not taken: {ex.Reason}").ConfigureAwait(false);
            return;
        }

        if (decision.Refusal is { } refusal)
        {
            var status = refusal.Code switch
            {
                ApprovalRefusal.Unknown => StatusCodes.Status404NotFound,
                ApprovalRefusal.SelfApproval or ApprovalRefusal.NotAnApprover => StatusCodes.Status403Forbidden,
                _ => StatusCodes.Status409Conflict,
            };
            await ApiReplies.ErrorAsync(context, status, refusal.Code, refusal.Message).ConfigureAwait(false);
            return;
        }

        await ApiReplies.JsonAsync(context, ApprovalJson.Of(decision.Request!, time.GetUtcNow())).ConfigureAwait(false);
    }

    /// <summary>The optional <c>{ "comment": "…" }</c> body, masked for no audience; or why the body is refused.</summary>
    private async Task<(string? Comment, string? Problem)> CommentAsync(HttpContext context)
    {
        if (context.Request.ContentLength is 0 || (context.Request.ContentLength is null && !context.Request.Headers.ContainsKey("Transfer-Encoding")))
        {
            return (null, null);
        }

        var buffer = new byte[MaxBodyBytes + 1];
        var read = 0;
        int chunk;
        while (read < buffer.Length && (chunk = await context.Request.Body.ReadAsync(buffer.AsMemory(read), context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            read += chunk;
        }

        if (read > MaxBodyBytes)
        {
            return (null, $"The body is larger than {MaxBodyBytes / 1024} KiB; send at most {{ \"comment\": \"…\" }} of {MaxCommentChars} characters.");
        }

        if (read == 0)
        {
            return (null, null);
        }

        try
        {
            if (JsonNode.Parse(buffer.AsSpan(0, read)) is not JsonObject body || body.Count > 1 || (body.Count == 1 && !body.ContainsKey("comment")))
            {
                return (null, "The body must be a JSON object with at most one member, \"comment\": a string.");
            }

            if (body["comment"] is null)
            {
                return (null, null);
            }

            if (body["comment"] is not JsonValue value || !value.TryGetValue<string>(out var comment) || comment.Length > MaxCommentChars)
            {
                return (null, $"\"comment\" must be a string of at most {MaxCommentChars} characters.");
            }

            var masked = masker.Mask(new JsonObject { ["comment"] = comment }, new MaskingScope(null, null), revealTo: null).Message;
            return ((string?)masked["comment"], null);
        }
        catch (JsonException)
        {
            return (null, "The body is not JSON; send { \"comment\": \"…\" } or nothing.");
        }
    }

    private async Task<ApprovalRequest?> FindAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        if (await desk.FindAsync(id, context.RequestAborted).ConfigureAwait(false) is { } request)
        {
            return request;
        }

        await ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, ApprovalRefusal.Unknown, $"No approval request {id}; GET /api/approvals lists them.").ConfigureAwait(false);
        return null;
    }

    private Task ReadAsync(HttpContext context, Func<Task> serve) => AuditedReads.ServeAsync(recorder, context, serve);
}
