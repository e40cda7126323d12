using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Approvals.Grants;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Configuration.Models;
using Proctor.Http.Identity;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Http.Api;

/// <summary>
/// <c>/api/access</c> and <c>/api/reviews</c> (docs/api.md, docs/access.md): any verified person asks for a grant, and
/// lists and reads their own; approvers, auditors and admins read all (each read recorded first as <c>audit.read</c>);
/// approvers approve, deny and close reviews; the holder or an approver revokes; members of the breakglass role break
/// the glass. Every change goes through the grants desk, which applies the same rules as the CLI and records it first.
/// Free text (reason, ticket, comment) is masked before it is stored.
/// </summary>
internal sealed class AccessApi(GrantDesk desk, PolicyInForce policies, IAuditReadRecorder recorder, IPayloadMasker masker, IdentitySettings? identity, TimeProvider time)
{
    /// <summary>A request is a few names and a sentence; the body is bounded well above that.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    private const int MaxTextChars = 1000;

    private static readonly string[] Readers = [IdentityRoles.Approver, IdentityRoles.Auditor, IdentityRoles.Admin];

    public Task ListAsync(HttpContext context) => ReadAsync(context, async () =>
    {
        var caller = context.Caller();
        // People who decide or audit see every grant; anyone else sees their own.
        var grants = await desk.Store.ListAsync(new GrantQuery(Identity: IsReader(caller) ? null : caller.Key), context.RequestAborted).ConfigureAwait(false);
        var now = time.GetUtcNow();
        await ApiReplies.JsonAsync(context, new JsonArray([.. grants.Select(g => (JsonNode)GrantJson.Of(g, now))])).ConfigureAwait(false);
    });

    public Task ShowAsync(HttpContext context) => ReadAsync(context, async () =>
    {
        var id = Id(context);
        var caller = context.Caller();
        if (await desk.Store.FindAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } grant || (!IsReader(caller) && grant.Identity != caller.Key))
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status404NotFound, ApprovalRefusal.Unknown, $"No grant {id} of yours; GET /api/access lists them.").ConfigureAwait(false);
            return;
        }

        await ApiReplies.JsonAsync(context, GrantJson.Of(grant, time.GetUtcNow())).ConfigureAwait(false);
    });

    public Task RequestAsync(HttpContext context) => AskAsync(context, breakGlass: false);

    public Task BreakGlassAsync(HttpContext context) => AskAsync(context, breakGlass: true);

    public Task ApproveAsync(HttpContext context) => ChangeAsync(context, IdentityRoles.Approver, (who, actor, comment) => desk.DecideAsync(Id(context), who, actor, approve: true, comment, context.RequestAborted));

    public Task DenyAsync(HttpContext context) => ChangeAsync(context, IdentityRoles.Approver, (who, actor, comment) => desk.DecideAsync(Id(context), who, actor, approve: false, comment, context.RequestAborted));

    /// <summary>Needs no role: the holder may give a grant up, and the rules let members of its approver groups take it away.</summary>
    public Task RevokeAsync(HttpContext context) => ChangeAsync(context, null, (who, actor, comment) => desk.RevokeAsync(Id(context), who, actor, comment, context.RequestAborted));

    public Task ReviewsAsync(HttpContext context) => ReadAsync(context, async () =>
    {
        var all = context.Request.Query["state"].ToString() == "all";
        var reviews = await desk.Store.ListReviewsAsync(openOnly: !all, 100, context.RequestAborted).ConfigureAwait(false);
        await ApiReplies.JsonAsync(context, new JsonArray([.. reviews.Select(r => (JsonNode)GrantJson.Of(r))])).ConfigureAwait(false);
    });

    public Task CloseReviewAsync(HttpContext context) => ChangeAsync(context, IdentityRoles.Approver, (who, actor, comment) => desk.CloseReviewAsync(Id(context), who, actor, comment, context.RequestAborted));

    private async Task AskAsync(HttpContext context, bool breakGlass)
    {
        var caller = context.Caller();
        if (breakGlass && GrantRequests.WhyNotBreakGlass(identity, caller) is { } notAllowed)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, notAllowed.Code, notAllowed.Message).ConfigureAwait(false);
            return;
        }

        var (body, problem) = await BodyAsync(context).ConfigureAwait(false);
        var request = problem is null && body is not null ? Ask.Read(body, out problem) : null;
        if (request is null)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_body",
                problem ?? "Send { \"server\": \"bank\", \"tools\": [\"run_sql\"], \"duration_seconds\": 3600, \"reason\": \"CHG-1234: …\", \"ticket\": \"CHG-1234\" } (ticket optional).").ConfigureAwait(false);
            return;
        }

        var (draft, refusal) = GrantRequests.Draft(policies.Current.Model, identity, caller, request.Server, request.Tools, request.Duration, Masked(request.Reason) ?? "", Masked(request.Ticket));
        var actor = GrantRequests.Actor(caller, "rest");
        await RespondAsync(context, draft is null ? new GrantOutcome(null, refusal) : null,
            () => breakGlass ? desk.BreakGlassAsync(draft!, actor, context.RequestAborted) : desk.RequestAsync(draft!, actor, context.RequestAborted), StatusCodes.Status201Created).ConfigureAwait(false);
    }

    private async Task ChangeAsync(HttpContext context, string? role, Func<Approver, Proctor.Approvals.Evidence.ApprovalActor, string?, Task<GrantOutcome>> change)
    {
        var caller = context.Caller();
        if (role is not null && identity?.Grants(role, caller.Groups) != true)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, "insufficient_role",
                $"'{caller.Subject}' does not hold the {role} role, which this needs (groups: {(caller.Groups.Count == 0 ? "none" : string.Join(", ", caller.Groups))}); identity.roles.{role} names its groups.").ConfigureAwait(false);
            return;
        }

        var (body, problem) = await BodyAsync(context).ConfigureAwait(false);
        string? comment = null;
        if (problem is null && body is not null && (body.Count > 1 || (body.Count == 1 && !body.ContainsKey("comment")) || (body["comment"] is { } node && !Text(node, out comment))))
        {
            problem = $"The body must be {{ \"comment\": \"…\" }} (a string of at most {MaxTextChars} characters) or nothing.";
        }

        if (problem is not null)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_body", problem).ConfigureAwait(false);
            return;
        }

        await RespondAsync(context, null, () => change(new Approver(caller.Key, caller.Subject, caller.Groups), GrantRequests.Actor(caller, "rest"), Masked(comment)), StatusCodes.Status200OK).ConfigureAwait(false);
    }

    private async Task RespondAsync(HttpContext context, GrantOutcome? refused, Func<Task<GrantOutcome>> act, int status)
    {
        GrantOutcome outcome;
        try
        {
            outcome = refused ?? await act().ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            context.Response.Headers.RetryAfter = "5";
            await ApiReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ledger_unavailable", $"The change could not be recorded in the ledger, so it was not made: {ex.Reason}").ConfigureAwait(false);
            return;
        }

        if (outcome.Refusal is { } refusal)
        {
            await ApiReplies.ErrorAsync(context, refusal.Code switch
            {
                ApprovalRefusal.Unknown => StatusCodes.Status404NotFound,
                ApprovalRefusal.SelfApproval or ApprovalRefusal.NotAnApprover or ApprovalRefusal.NotGrantable or ApprovalRefusal.NotBreakGlass => StatusCodes.Status403Forbidden,
                ApprovalRefusal.InvalidRequest or ApprovalRefusal.TooLong => StatusCodes.Status400BadRequest,
                _ => StatusCodes.Status409Conflict,
            }, refusal.Code, refusal.Message).ConfigureAwait(false);
            return;
        }

        var now = time.GetUtcNow();
        JsonObject answer = outcome.Grant is { } grant ? GrantJson.Of(grant, now) : GrantJson.Of(outcome.Review!);
        if (outcome is { Grant: not null, Review: { } review })
        {
            answer["review"] = GrantJson.Of(review);
        }

        await ApiReplies.JsonAsync(context, answer, status).ConfigureAwait(false);
    }

    private Task ReadAsync(HttpContext context, Func<Task> serve) => AuditedReads.ServeAsync(recorder, context, serve);

    private string? Masked(string? text) => string.IsNullOrWhiteSpace(text) ? null
        : (string?)masker.Mask(new JsonObject { ["text"] = text.Trim() }, new MaskingScope(null, null), revealTo: null).Message["text"];

    private bool IsReader(Caller caller) => identity is not null && Readers.Any(role => identity.Grants(role, caller.Groups));

    private static string Id(HttpContext context) => (string)context.Request.RouteValues["id"]!;

    private static bool Text(JsonNode node, out string? text)
    {
        text = null;
        return node is JsonValue value && value.TryGetValue(out text) && text.Length <= MaxTextChars;
    }

    /// <summary>The JSON object body (null when there is none), or why it is refused.</summary>
    private static async Task<(JsonObject? Body, string? Problem)> BodyAsync(HttpContext context)
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
            return (null, $"The body is larger than {MaxBodyBytes / 1024} KiB.");
        }

        try
        {
            return read == 0 ? (null, null) : JsonNode.Parse(buffer.AsSpan(0, read)) is JsonObject body ? (body, null) : (null, "The body must be a JSON object.");
        }
        catch (JsonException)
        {
            return (null, "The body is not JSON.");
        }
    }

    private sealed record Ask(string Server, string[] Tools, TimeSpan Duration, string Reason, string? Ticket)
    {
        private static readonly string[] Members = ["server", "tools", "duration_seconds", "reason", "ticket"];

        public static Ask? Read(JsonObject body, out string? problem)
        {
            problem = body.Select(p => p.Key).FirstOrDefault(k => !Members.Contains(k)) is { } unknown ? $"'{unknown}' is not a member of a grant request; use {string.Join(", ", Members)}." : null;
            if (problem is not null
                || body["server"] is not JsonValue server || !server.TryGetValue<string>(out var serverName)
                || body["tools"] is not JsonArray tools || tools.Count is 0 or > 100
                || body["duration_seconds"] is not JsonValue seconds || !seconds.TryGetValue<long>(out var duration) || duration is < 1 or > 366L * 24 * 3600
                || body["reason"] is not { } reason || !Text(reason, out var reasonText))
            {
                return null;
            }

            var names = new string[tools.Count];
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i] is not JsonValue tool || !tool.TryGetValue<string>(out var name))
                {
                    return null;
                }

                names[i] = name;
            }

            string? ticketText = null;
            if (body["ticket"] is { } ticket && !Text(ticket, out ticketText))
            {
                return null;
            }

            return new Ask(serverName, names, TimeSpan.FromSeconds(duration), reasonText!, ticketText);
        }
    }
}
