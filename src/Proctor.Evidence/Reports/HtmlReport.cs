using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Proctor.Evidence.Reports;

/// <summary>
/// reports/report.html: one self-contained page for the examiner (inline CSS, no script, nothing fetched). Every value
/// goes through <see cref="HtmlEncoder"/>: identities, tool names and reasons come from callers and are hostile until
/// proved otherwise. Long lists are capped here; the JSON reports hold them whole.
/// </summary>
internal static class HtmlReport
{
    public const int MaxRows = 200;

    private const string Style = "body{font:15px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}"
        + "table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}"
        + "th{background:#eee}code{font-size:90%}.flag{color:#a00000;font-weight:bold}.ok{color:#185c18}";

    public static string Render(ReportSummary summary)
    {
        var html = new Html();
        html.Raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Proctor evidence package</title><style>").Raw(Style).Raw("</style></head><body>");
        html.Raw("<h1>Proctor evidence package</h1><p>Period ").Text(Time(summary.From)).Raw(" to ").Text(Time(summary.To))
            .Raw(" (UTC, end excluded); ledger indexes ").Text(summary.FirstIndex).Raw(" to ").Text(summary.EndIndex).Raw(" (end excluded), verified against the signed checkpoint of tree size ")
            .Text(summary.CheckpointTreeSize).Raw(" signed with key <code>").Text(summary.KeyId).Raw("</code>.</p>");
        if (summary.Server is not null || summary.Identity is not null)
        {
            html.Raw("<p>Filtered to server <code>").Text(summary.Server ?? "any").Raw("</code> and identity <code>").Text(summary.Identity ?? "any")
                .Raw("</code>: other events of the range are in <code>leaves.txt</code> as leaf hashes, proved but not shown.</p>");
        }

        html.Raw("<h2>Checking this package</h2><p>Run <code>proctor evidence verify FILE</code>, or the standalone <code>proctor-verify FILE</code>, on any machine: no database and no network are needed. ")
            .Raw("It checks every file against <code>manifest.note</code> (signed, with the key in <code>verifier.key</code>), every leaf in <code>leaves.txt</code> against <code>tree.json</code>, and the chain in <code>checkpoints.json</code>.</p>");
        Findings(html, summary);
        Controls(html, summary.Controls);
        Settings(html, summary);
        Identities(html, summary.Identities);
        html.Raw("</body></html>");
        return html.ToString();
    }

    private static void Findings(Html html, ReportSummary summary)
    {
        var f = summary.Figures;
        html.Raw("<h2>Findings</h2><ul>");
        Finding(html, f.ApprovalsWhereApproverIsRequester, "approval(s) where an approver was the requester", "reports/access.json: approvals.items[].flagged");
        Finding(html, f.GrantsSelfApproved, "grant(s) approved or reviewed by their holder or requester", "reports/access.json: grants.items[].flagged");
        Finding(html, f.BreakGlassReviewsOpen, "break-glass review(s) still open", "reports/access.json: break_glass");
        html.Raw("</ul>");
    }

    private static void Finding(Html html, long count, string what, string where)
    {
        if (count == 0)
        {
            html.Raw("<li class=\"ok\">No ").Text(what).Raw(".</li>");
            return;
        }

        html.Raw("<li class=\"flag\">").Text(count).Raw(" ").Text(what).Raw(" (see <code>").Text(where).Raw("</code>).</li>");
    }

    private static void Controls(Html html, IReadOnlyList<ControlEvidence> controls)
    {
        html.Raw("<h2>Expectations and the artifacts that answer them</h2><table><tr><th>Expectation</th><th>Artifacts in this package</th><th>Figures for the period</th></tr>");
        foreach (var control in controls)
        {
            html.Raw("<tr><td><strong>").Text(control.Control).Raw("</strong><br>").Text(control.Expectation).Raw("</td><td>");
            foreach (var artifact in control.Artifacts)
            {
                html.Raw("<code>").Text(artifact).Raw("</code><br>");
            }

            html.Raw("</td><td>");
            foreach (var figure in control.Figures)
            {
                html.Text(figure.Label).Raw(": ").Text(figure.Value).Raw("<br>");
            }

            html.Raw("</td></tr>");
        }

        html.Raw("</table>");
    }

    private static void Settings(Html html, ReportSummary summary)
    {
        html.Raw("<h2>Retention and write-once storage</h2><ul><li>Payload retention: ").Text(summary.Retention ?? "none set: payloads are kept until an operator purges them")
            .Raw("</li><li>WORM archive: ").Text(summary.WormArchive ?? "none set: no write-once archive is configured; tamper evidence rests on the signed checkpoints")
            .Raw("</li><li>Configuration hash at export: <code>").Text(summary.ConfigurationHash).Raw("</code></li></ul>");
    }

    private static void Identities(Html html, IReadOnlyList<IdentityRow> identities)
    {
        html.Raw("<h2>Identities and what left</h2><table><tr><th>Identity</th><th>Calls</th><th>Bytes returned</th><th>Entities masked</th><th>Authentication (amr)</th></tr>");
        foreach (var identity in identities.Take(MaxRows))
        {
            html.Raw("<tr><td>").Text(identity.Subject).Raw("</td><td>").Text(identity.Calls).Raw("</td><td>").Text(identity.BytesReturned)
                .Raw("</td><td>").Text(identity.EntitiesMasked).Raw("</td><td>").Text(identity.Amr.Count == 0 ? "none recorded" : string.Join(", ", identity.Amr)).Raw("</td></tr>");
        }

        html.Raw("</table>");
        if (identities.Count > MaxRows)
        {
            html.Raw("<p>").Text($"The first {MaxRows} of {identities.Count} identities; all are in reports/access.json and reports/data-left.json.").Raw("</p>");
        }
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Markup is written raw; every value goes through <see cref="Text(string)"/>, which encodes it.</summary>
    private sealed class Html
    {
        private readonly StringBuilder _builder = new();

        public Html Raw(string markup)
        {
            _builder.Append(markup);
            return this;
        }

        public Html Text(string value)
        {
            _builder.Append(HtmlEncoder.Default.Encode(value));
            return this;
        }

        public Html Text(long value) => Text(value.ToString(CultureInfo.InvariantCulture));

        public override string ToString() => _builder.ToString();
    }
}
