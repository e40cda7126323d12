using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>
/// Just-in-time access: anyone requests a grant and sees their own; approvers, auditors and admins see all; approvers
/// approve or deny; the holder or an approver revokes. Every action is <see cref="AccessApi"/>'s, with its rules and records.
/// </summary>
internal sealed class AccessPage(ConsoleGate gate, AccessApi access, IAntiforgery antiforgery, IdentitySettings? identity)
{
    public async Task ShowAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.Person).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        await RenderAsync(context, ConsoleViewer.Of(caller, identity), context.Request.Query["done"] == "1" ? "Done." : null, null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    public async Task RequestAsync(HttpContext context)
    {
        if (await AdmitPostAsync(context).ConfigureAwait(false) is not { } viewer)
        {
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (!double.TryParse(form["hours"], NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) || hours <= 0)
        {
            await RenderAsync(context, viewer, null, "Give the duration in hours, e.g. 2 or 0.5.", StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var body = new JsonObject
        {
            ["server"] = form["server"].ToString().Trim(),
            ["tools"] = new JsonArray([.. form["tools"].ToString().Split([',', ' '], StringSplitOptions.RemoveEmptyEntries).Select(t => (JsonNode)t)]),
            ["duration_seconds"] = (long)(hours * 3600),
            ["reason"] = form["reason"].ToString().Trim(),
        };
        if (form["ticket"].ToString().Trim() is { Length: > 0 } ticket)
        {
            body["ticket"] = ticket;
        }

        await AnswerAsync(context, viewer, await ApiCall.RunAsync(context, access.RequestAsync, body: body).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public Task ApproveAsync(HttpContext context) => ChangeAsync(context, access.ApproveAsync);

    public Task DenyAsync(HttpContext context) => ChangeAsync(context, access.DenyAsync);

    public Task RevokeAsync(HttpContext context) => ChangeAsync(context, access.RevokeAsync);

    private async Task ChangeAsync(HttpContext context, Func<HttpContext, Task> change)
    {
        if (await AdmitPostAsync(context).ConfigureAwait(false) is not { } viewer)
        {
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        await AnswerAsync(context, viewer, await ApiCall.RunAsync(context, change, body: ConsoleForms.CommentBody(form, "comment")).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private async Task<ConsoleViewer?> AdmitPostAsync(HttpContext context) =>
        await gate.AdmitAsync(context, AdmissionPolicies.Person).ConfigureAwait(false) is { } caller && await ConsoleForms.ValidAsync(context, antiforgery).ConfigureAwait(false)
            ? ConsoleViewer.Of(caller, identity)
            : null;

    private async Task AnswerAsync(HttpContext context, ConsoleViewer viewer, ApiCall.Answer answer)
    {
        if (!answer.Succeeded)
        {
            await RenderAsync(context, viewer, null, answer.Problem, answer.Status).ConfigureAwait(false);
            return;
        }

        context.Response.Redirect(ConsoleRoutes.Access + "?done=1");
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    private async Task RenderAsync(HttpContext context, ConsoleViewer viewer, string? notice, string? problem, int status)
    {
        var answer = await ApiCall.RunAsync(context, access.ListAsync).ConfigureAwait(false);
        var approver = viewer.Has(IdentityRoles.Approver);
        await ConsoleLayout.WriteAsync(context, viewer, "Access", html =>
        {
            html.Element("h1", "Access and grants").Notice(notice).Notice(problem, problem: true);
            html.Element("h2", "Request access").Open("form", "method", "post", "action", ConsoleRoutes.Access, "class", "stacked").Antiforgery(context);
            foreach (var (name, label, hint) in new[] { ("server", "Server", "bank"), ("tools", "Tools (comma-separated)", "run_sql"), ("hours", "Duration in hours", "2"), ("reason", "Reason", "CHG-1234: month-end reconciliation"), ("ticket", "Ticket (optional)", "CHG-1234") })
            {
                html.Open("p").Element("label", label, "for", "grant-" + name).Void("input", "id", "grant-" + name, "name", name, "placeholder", hint, "required", name == "ticket" ? null : "required").Close();
            }

            html.Element("button", "Request", "type", "submit").Close();
            html.Element("h2", viewer.Has(ConsoleRoles.ApprovalsReader) ? "All grants" : "Your grants");
            if (!answer.Succeeded)
            {
                html.Notice(answer.Problem, problem: true);
                return;
            }

            var grants = ConsoleText.Items(answer.Body).ToList();
            if (grants.Count == 0)
            {
                html.Element("p", "No grants.", "class", "empty");
            }

            foreach (var grant in grants)
            {
                var id = ConsoleText.Of(grant["id"]);
                var state = ConsoleText.Of(grant["state"]);
                html.Open("article", "class", "request", "aria-labelledby", "g-" + id)
                    .Element("h3", $"{ConsoleText.Of(grant["holder"])} · {ConsoleText.Of(grant["server"])} · {string.Join(", ", ConsoleText.Items(grant["tools"]).Select(ConsoleText.Of))}", "id", "g-" + id)
                    .Element("p", $"{state}{(grant["break_glass"]?.GetValue<bool>() == true ? " (break-glass)" : "")} · {ConsoleText.Of(grant["duration_seconds"])} s · {ConsoleText.Of(grant["reason"])} · id {id}");
                var actions = new List<(string Verb, string Label)>();
                if (state == "pending" && approver)
                {
                    actions.Add(("approve", "Approve"));
                    actions.Add(("deny", "Deny"));
                }

                if (state is "active" or "pending")
                {
                    actions.Add(("revoke", "Revoke"));
                }

                foreach (var (verb, label) in actions)
                {
                    html.Open("form", "method", "post", "action", $"{ConsoleRoutes.Access}/{Uri.EscapeDataString(id)}/{verb}", "class", "inline")
                        .Antiforgery(context)
                        .Element("label", $"Comment for {label.ToLowerInvariant()}", "for", $"{verb}-{id}", "class", "visually-hidden")
                        .Void("input", "id", $"{verb}-{id}", "name", "comment", "placeholder", "comment (optional)")
                        .Element("button", label, "type", "submit")
                        .Close();
                }

                html.Close();
            }
        }, status).ConfigureAwait(false);
    }
}
