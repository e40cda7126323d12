using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Evidence;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>
/// The evidence export (docs/evidence.md): a period and optional filters, streamed as a download by the gateway's
/// <see cref="IEvidenceExporter"/> through <see cref="EvidenceApi"/>, as /api/evidence/export streams it. Auditors and admins only;
/// the export is recorded as an audit read before it starts, and as <c>evidence.export</c> once sent.
/// </summary>
internal sealed class ExportPage(ConsoleGate gate, IAntiforgery antiforgery, IAuditReadRecorder recorder, IdentitySettings? identity, TimeProvider time, EvidenceApi? exporter = null)
{
    public const string Unavailable = "Evidence export is not available in this gateway build; use 'proctor evidence export' on the gateway host.";

    public async Task ShowAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.LedgerReader).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        await RenderAsync(context, ConsoleViewer.Of(caller, identity), null, StatusCodes.Status200OK).ConfigureAwait(false);
    }

    public async Task DownloadAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.LedgerReader).ConfigureAwait(false) is not { } caller
            || !await ConsoleForms.ValidAsync(context, antiforgery).ConfigureAwait(false))
        {
            return;
        }

        var viewer = ConsoleViewer.Of(caller, identity);
        if (exporter is null)
        {
            await RenderAsync(context, viewer, Unavailable, StatusCodes.Status501NotImplemented).ConfigureAwait(false);
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        if (!Day(form["from"], out var from) || !Day(form["to"], out var to) || to < from)
        {
            await RenderAsync(context, viewer, "Give the period as two dates (YYYY-MM-DD, UTC), the second (inclusive) not before the first.", StatusCodes.Status400BadRequest).ConfigureAwait(false);
            return;
        }

        var request = new ExportRequest(from, to.AddDays(1), Optional(form["server"]), Optional(form["identity"]));
        try
        {
            await recorder.RecordReadAsync(caller, "POST", context.Request.Path, $"?from={form["from"]}&to={form["to"]}&server={request.Server}&identity={request.Identity}", context.RequestAborted).ConfigureAwait(false);
        }
        catch (Proctor.Ledger.Storage.LedgerUnavailableException ex)
        {
            await RenderAsync(context, viewer, $"The export could not be recorded in the ledger, so it was not started: {ex.Reason}", StatusCodes.Status503ServiceUnavailable).ConfigureAwait(false);
            return;
        }

        if (await exporter.StreamAsync(context, caller, request, $"proctor-evidence-{form["from"]}-{form["to"]}.zip").ConfigureAwait(false) is { } problem)
        {
            await RenderAsync(context, viewer, problem, StatusCodes.Status409Conflict).ConfigureAwait(false);
        }
    }

    private static bool Day(string? text, out DateTimeOffset day)
    {
        var parsed = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value);
        day = new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc));
        return parsed;
    }

    private static string? Optional(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private async Task RenderAsync(HttpContext context, ConsoleViewer viewer, string? problem, int status)
    {
        var today = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await ConsoleLayout.WriteAsync(context, viewer, "Evidence export", html =>
        {
            html.Element("h1", "Evidence export").Notice(problem, problem: true);
            if (exporter is null && problem is null)
            {
                html.Notice(Unavailable, problem: true);
            }

            html.Element("p", "A signed package of the period's ledger events with the proofs an examiner needs to check them offline (docs/evidence.md).")
                .Open("form", "method", "post", "action", ConsoleRoutes.Export, "class", "stacked").Antiforgery(context);
            foreach (var (name, label, type, value) in new[] { ("from", "From (UTC date)", "date", today), ("to", "To, inclusive (UTC date)", "date", today), ("server", "Server (optional)", "text", ""), ("identity", "Identity (optional)", "text", "") })
            {
                html.Open("p").Element("label", label, "for", "export-" + name).Void("input", "id", "export-" + name, "name", name, "type", type, "value", value).Close();
            }

            html.Element("button", "Download the package", "type", "submit").Close();
        }, status).ConfigureAwait(false);
    }
}
