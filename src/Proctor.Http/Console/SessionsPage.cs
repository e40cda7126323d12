using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>
/// Sessions, newest first, and the replay of one session as the ledger stored it (masked), both read through
/// <see cref="ExaminerApi"/> (recorded as <c>audit.read</c>). The audit search over events is <see cref="AuditPage"/>.
/// </summary>
internal sealed class SessionsPage(ConsoleGate gate, ExaminerApi examiner, IdentitySettings? identity)
{
    public async Task ListAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.LedgerReader).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var answer = await ApiCall.RunAsync(context, examiner.ListSessionsAsync, new Dictionary<string, string> { ["limit"] = "200" }).ConfigureAwait(false);
        await ConsoleLayout.WriteAsync(context, ConsoleViewer.Of(caller, identity), "Sessions", html =>
        {
            html.Element("h1", "Sessions");
            if (!answer.Succeeded)
            {
                html.Notice(answer.Problem, problem: true);
                return;
            }

            var sessions = ConsoleText.Items(answer.Body).ToList();
            if (sessions.Count == 0)
            {
                html.Element("p", "No session is recorded yet.", "class", "empty");
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
