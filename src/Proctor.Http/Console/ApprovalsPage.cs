using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>
/// The approvals inbox: pending requests with their masked arguments, and for approvers a reason and approve/deny
/// buttons. Deciding goes through <see cref="ApprovalsApi"/>, so the desk's rules (never the requester, only the
/// request's approver groups) and its ledger records are the REST API's. console.js polls <see cref="PendingAsync"/>
/// for the pending set's version and fetches the page again only when it differs from the one drawn.
/// </summary>
internal sealed class ApprovalsPage(ConsoleGate gate, ApprovalsApi approvals, IAntiforgery antiforgery, IdentitySettings? identity)
{
    public async Task ShowAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.Approvals).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        await RenderAsync(context, ConsoleViewer.Of(caller, identity), Outcome(context.Request.Query["done"]), problem: null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>{ "version": … }</c> of the pending set for console.js, unrecorded: every 3 s from every open inbox would
    /// otherwise be an <c>audit.read</c> each (28,800 a day). The page itself, fetched when the version changes, is recorded.
    /// </summary>
    public async Task PendingAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.Approvals).ConfigureAwait(false) is null)
        {
            return;
        }

        var ids = await approvals.PendingIdsAsync(context.RequestAborted).ConfigureAwait(false);
        await ApiReplies.JsonAsync(context, new JsonObject { ["version"] = PendingVersion.Of(ids) }).ConfigureAwait(false);
    }

    public async Task DecideAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.Approvals).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        if (!await ConsoleForms.ValidAsync(context, antiforgery).ConfigureAwait(false))
        {
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var approve = form["decision"] == "approve";
        if (!approve && form["decision"] != "deny")
        {
            await RenderAsync(context, ConsoleViewer.Of(caller, identity), null, "Choose approve or deny.", StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var answer = await ApiCall.RunAsync(context, approve ? approvals.ApproveAsync : approvals.DenyAsync, body: ConsoleForms.CommentBody(form, "reason")).ConfigureAwait(false);
        if (!answer.Succeeded)
        {
            await RenderAsync(context, ConsoleViewer.Of(caller, identity), null, answer.Problem, answer.Status).ConfigureAwait(false);
            return;
        }

        context.Response.Redirect($"{ConsoleRoutes.Approvals}?done={(approve ? "approved" : "denied")}");
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private static string? Outcome(string? done) => done switch
    {
        "approved" => "Approved. A held call runs now; otherwise the caller's next identical call runs once.",
        "denied" => "Denied. The held call fails with the denial.",
        _ => null,
    };

    private async Task RenderAsync(HttpContext context, ConsoleViewer viewer, string? notice, string? problem, int status)
    {
        var answer = await ApiCall.RunAsync(context, approvals.ListAsync, new Dictionary<string, string> { ["state"] = "pending", ["limit"] = ApprovalsApi.PendingPage.ToString(System.Globalization.CultureInfo.InvariantCulture) }).ConfigureAwait(false);
        var canDecide = viewer.Has(IdentityRoles.Approver);
        await ConsoleLayout.WriteAsync(context, viewer, "Approvals", html =>
        {
            html.Element("h1", "Approvals waiting").Notice(notice).Notice(problem, problem: true);
            if (!answer.Succeeded)
            {
                html.Notice(answer.Problem, problem: true);
                return;
            }

            var requests = ConsoleText.Items(answer.Body).ToList();
            var version = PendingVersion.Of(requests.Select(r => ConsoleText.Of(r["id"])));
            html.Open("section", "id", "inbox", "aria-live", "polite", "data-poll", ConsoleRoutes.PendingJson, "data-version", version);
            if (requests.Count == 0)
            {
                html.Element("p", "Nothing is waiting for a decision.", "class", "empty");
            }

            foreach (var request in requests)
            {
                Request(html, context, request, canDecide);
            }

            html.Close();
        }, status).ConfigureAwait(false);
    }

    private static void Request(Html html, HttpContext context, JsonNode request, bool canDecide)
    {
        var id = ConsoleText.Of(request["id"]);
        html.Open("article", "class", "request", "data-id", id, "aria-labelledby", "h-" + id)
            .Element("h2", $"{ConsoleText.Of(request["server"])} · {ConsoleText.Of(request["tool"])}", "id", "h-" + id)
            .Open("dl")
            .Element("dt", "Requested by").Element("dd", ConsoleText.Of(request["requester"]))
            .Element("dt", "Justification").Element("dd", ConsoleText.Of(request["justification"]))
            .Element("dt", "Rule").Element("dd", $"{ConsoleText.Of(request["rule"])}: {ConsoleText.Of(request["reason"])}")
            .Element("dt", "Approver groups").Element("dd", string.Join(", ", ConsoleText.Items(request["approver_groups"]).Select(ConsoleText.Of)))
            .Element("dt", "Expires").Element("dd", ConsoleText.Of(request["expires_at"]))
            .Element("dt", "Request id").Element("dd", id)
            .Close()
            .Element("h3", "Arguments (masked)")
            .Element("pre", ConsoleText.Of(request["arguments"]));
        if (canDecide)
        {
            html.Open("form", "method", "post", "action", $"{ConsoleRoutes.Approvals}/{Uri.EscapeDataString(id)}/decide", "class", "decide")
                .Antiforgery(context)
                .Element("label", "Reason (recorded in the ledger)", "for", "reason-" + id)
                .Element("textarea", null, "id", "reason-" + id, "name", "reason", "rows", "2", "maxlength", "1000")
                .Element("button", "Approve", "type", "submit", "name", "decision", "value", "approve", "class", "approve")
                .Element("button", "Deny", "type", "submit", "name", "decision", "value", "deny", "class", "deny")
                .Close();
        }

        html.Close();
    }
}
