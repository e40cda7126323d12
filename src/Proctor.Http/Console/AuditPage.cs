using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>
/// The audit search over single events by identity, server, tool, time and outcome, read through
/// <see cref="ExaminerApi"/> (recorded as <c>audit.read</c>) with /api/audit/events' filters, a page at a time.
/// </summary>
internal sealed class AuditPage(ConsoleGate gate, ExaminerApi examiner, IdentitySettings? identity)
{
    private const string PageSize = "100";

    private static readonly (string Name, string Label, string Hint)[] TextFields =
    [
        ("identity", "Identity", "subject, e.g. analyst"),
        ("server", "Server", "e.g. bank"),
        ("tool", "Tool", "e.g. transfer_funds"),
        ("since", "From (UTC)", "2026-01-31T09:00:00Z"),
        ("until", "To (UTC)", "2026-01-31T18:00:00Z"),
    ];

    /// <summary>The statuses an event's outcome takes (docs/ledger.md).</summary>
    private static readonly string[] Outcomes = ["ok", "error", "refused", "cancelled", "timeout"];

    private static readonly string[] Filters = [.. TextFields.Select(f => f.Name), "outcome", "before"];

    public async Task ShowAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.LedgerReader).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var filters = Filters.Where(f => Given(context, f).Length > 0).ToDictionary(f => f, f => Given(context, f));
        var answer = await ApiCall.RunAsync(context, examiner.SearchEventsAsync, new Dictionary<string, string>(filters) { ["limit"] = PageSize }).ConfigureAwait(false);
        await ConsoleLayout.WriteAsync(context, ConsoleViewer.Of(caller, identity), "Audit search", html =>
        {
            html.Element("h1", "Audit search");
            WriteForm(html, context);
            if (!answer.Succeeded)
            {
                html.Notice(answer.Problem, problem: true);
                return;
            }

            var events = ConsoleText.Items(answer.Body!["events"]).ToList();
            if (events.Count == 0)
            {
                html.Element("p", "No event matches.", "class", "empty");
            }
            else
            {
                WriteTable(html, events);
            }

            if (answer.Body!["next"] is { } next)
            {
                filters["before"] = ConsoleText.Of(next);
                html.Open("p").Element("a", "Older events", "href", ConsoleRoutes.Audit + QueryString.Create(filters.Select(f => KeyValuePair.Create(f.Key, (string?)f.Value)))).Close();
            }
        }).ConfigureAwait(false);
    }

    private static void WriteForm(Html html, HttpContext context)
    {
        html.Open("form", "method", "get", "action", ConsoleRoutes.Audit, "class", "search", "role", "search");
        foreach (var (name, label, hint) in TextFields)
        {
            html.Open("p").Element("label", label, "for", name)
                .Void("input", "id", name, "name", name, "value", Given(context, name), "placeholder", hint).Close();
        }

        html.Open("p").Element("label", "Outcome", "for", "outcome").Open("select", "id", "outcome", "name", "outcome").Element("option", "any", "value", "");
        foreach (var outcome in Outcomes)
        {
            html.Element("option", outcome, "value", outcome, "selected", Given(context, "outcome") == outcome ? "selected" : null);
        }

        html.Close().Close().Element("button", "Search", "type", "submit").Close();
    }

    private static void WriteTable(Html html, List<System.Text.Json.Nodes.JsonNode> events)
    {
        html.Open("table").Element("caption", $"{events.Count} event{(events.Count == 1 ? "" : "s")}, newest first")
            .Open("thead").Open("tr");
        foreach (var column in new[] { "Time", "Identity", "Server", "Kind", "Tool", "Outcome", "Session" })
        {
            html.Element("th", column, "scope", "col");
        }

        html.Close().Close().Open("tbody");
        foreach (var e in events)
        {
            html.Open("tr").Open("td").Element("time", ConsoleText.Of(e["time"]), "datetime", ConsoleText.Of(e["time"])).Close()
                .Element("td", ConsoleText.Of(e["subject"])).Element("td", ConsoleText.Of(e["server"])).Element("td", ConsoleText.Of(e["kind"]))
                .Element("td", ConsoleText.Of(e["name"])).Element("td", e["purged"]?.GetValue<bool>() == true ? "purged" : ConsoleText.Of(e["outcome"])).Open("td");
            if (e["session_id"] is { } session)
            {
                html.Element("a", ConsoleText.Of(session), "href", $"{ConsoleRoutes.Sessions}/{Uri.EscapeDataString(ConsoleText.Of(session))}");
            }

            html.Close().Close();
        }

        html.Close().Close();
    }

    private static string Given(HttpContext context, string name) => context.Request.Query[name].ToString().Trim();
}
