using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>
/// Sessions, the audit search over them, and the replay of one session as the ledger stored it (masked), all read
/// through <see cref="ExaminerApi"/> (recorded as <c>audit.read</c>). The search takes /api/sessions' filters.
/// </summary>
internal sealed class SessionsPage(ConsoleGate gate, ExaminerApi examiner, IdentitySettings? identity)
{
    private static readonly string[] Filters = ["identity", "server", "since", "until"];

    public Task ListAsync(HttpContext context) => ShowListAsync(context, "Sessions", ConsoleRoutes.Sessions, search: false);

    public Task SearchAsync(HttpContext context) => ShowListAsync(context, "Audit search", ConsoleRoutes.Audit, search: true);

    private async Task ShowListAsync(HttpContext context, string title, string action, bool search)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.LedgerReader).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var filters = Filters.Where(f => context.Request.Query[f].ToString().Trim().Length > 0).ToDictionary(f => f, f => context.Request.Query[f].ToString().Trim());
        filters["limit"] = "200";
        var answer = await ApiCall.RunAsync(context, examiner.ListSessionsAsync, filters).ConfigureAwait(false);
        await ConsoleLayout.WriteAsync(context, ConsoleViewer.Of(caller, identity), title, html =>
        {
            html.Element("h1", title);
            if (search)
            {
                html.Open("form", "method", "get", "action", action, "class", "search", "role", "search");
                foreach (var (name, label, hint) in new[] { ("identity", "Identity", "subject, e.g. analyst"), ("server", "Server", "e.g. bank"), ("since", "From (UTC)", "2026-01-31T09:00:00Z"), ("until", "Until (UTC)", "2026-01-31T18:00:00Z") })
                {
                    html.Open("p").Element("label", label, "for", name)
                        .Void("input", "id", name, "name", name, "value", context.Request.Query[name].ToString(), "placeholder", hint).Close();
                }

                html.Element("button", "Search", "type", "submit").Close();
            }

            if (!answer.Succeeded)
            {
                html.Notice(answer.Problem, problem: true);
                return;
            }

            var sessions = ConsoleText.Items(answer.Body).ToList();
            if (sessions.Count == 0)
            {
                html.Element("p", "No session matches.", "class", "empty");
                return;
            }

            html.Open("table").Element("caption", $"{sessions.Count} session{(sessions.Count == 1 ? "" : "s")}, newest first")
                .Open("thead").Open("tr").Element("th", "Session", "scope", "col").Element("th", "Identity", "scope", "col").Element("th", "Server", "scope", "col")
                .Element("th", "First event", "scope", "col").Element("th", "Last event", "scope", "col").Element("th", "Events", "scope", "col").Close().Close().Open("tbody");
            foreach (var session in sessions)
            {
                var id = ConsoleText.Of(session["session_id"]);
                html.Open("tr").Open("td").Element("a", id, "href", $"{ConsoleRoutes.Sessions}/{Uri.EscapeDataString(id)}").Close()
                    .Element("td", ConsoleText.Of(session["subject"])).Element("td", ConsoleText.Of(session["server"]))
                    .Element("td", ConsoleText.Of(session["first_event"])).Element("td", ConsoleText.Of(session["last_event"])).Element("td", ConsoleText.Of(session["events"])).Close();
            }

            html.Close().Close();
        }).ConfigureAwait(false);
    }

    public async Task ReplayAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.LedgerReader).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var answer = await ApiCall.RunAsync(context, examiner.ShowSessionAsync).ConfigureAwait(false);
        var id = (string)context.Request.RouteValues["id"]!;
        await ConsoleLayout.WriteAsync(context, ConsoleViewer.Of(caller, identity), "Session " + id, html =>
        {
            html.Element("h1", "Session " + id);
            if (!answer.Succeeded)
            {
                html.Notice(answer.Problem, problem: true);
                return;
            }

            html.Element("p", $"{ConsoleText.Of(answer.Body!["recorded_events"])} events recorded, {ConsoleText.Of(answer.Body!["purged_events"])} purged under retention. Payloads appear masked, as stored.")
                .Open("ol", "class", "timeline");
            foreach (var e in ConsoleText.Items(answer.Body!["events"]))
            {
                var outcome = e["outcome"];
                html.Open("li")
                    .Element("span", $"+{ConsoleText.Of(e["offset_ms"])} ms", "class", "offset")
                    .Element("span", ConsoleText.Of(e["kind"]), "class", "kind")
                    .Element("span", string.Join(" ", new[] { ConsoleText.Of(e["method"]), e["name"] is null ? "" : ConsoleText.Of(e["name"]) }).Trim(), "class", "action")
                    .Element("span", outcome is null ? "" : ConsoleText.Of(outcome["status"]) + (outcome["error_message"] is { } m ? ": " + ConsoleText.Of(m) : ""), "class", "outcome")
                    .Element("span", e["masked_entities"] is { } masked ? "masked: " + ConsoleText.Of(masked) : "", "class", "masked")
                    .Element("time", ConsoleText.Of(e["time"]), "datetime", ConsoleText.Of(e["time"]))
                    .Close();
            }

            html.Close();
        }).ConfigureAwait(false);
    }
}
