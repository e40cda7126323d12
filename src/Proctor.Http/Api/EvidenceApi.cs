using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Proctor.Evidence;
using Proctor.Evidence.Export;
using Proctor.Http.Identity;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Api;

/// <summary>
/// <c>GET /api/evidence/export?from=&amp;to=&amp;server=&amp;identity=</c>: the evidence package as a download, streamed as it is
/// made (docs/api.md). Behind the ledger-reader policy like every examiner read; the request is recorded
/// (<c>audit.read</c>) before anything is read, and the finished package (<c>evidence.export</c>, with its SHA-256) after.
/// </summary>
internal sealed class EvidenceApi(IAuditReadRecorder reads, IEvidenceExportRecorder exports, IEvidenceExporter exporter)
{
    public async Task ExportAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryTime(query["from"], out var from) || !TryTime(query["to"], out var to))
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, "bad_filter", $"from and to are required times, e.g. {ExaminerTime.Example}.").ConfigureAwait(false);
            return;
        }
        var request = new ExportRequest(from, to, Optional(query["server"]), Optional(query["identity"]));
        var caller = context.Caller();
        try
        {
            await reads.RecordReadAsync(caller, context.Request.Method, context.Request.Path, context.Request.QueryString.Value, context.RequestAborted).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            context.Response.Headers.RetryAfter = "5";
            await ApiReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, "ledger_unavailable", $"The export could not be recorded in the ledger, so it is not served: {ex.Reason}").ConfigureAwait(false);
            return;
        }

        var name = $"proctor-evidence-{from.UtcDateTime.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture)}-{to.UtcDateTime.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture)}.zip";
        if (await StreamAsync(context, caller, request, name).ConfigureAwait(false) is { } problem)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status409Conflict, "cannot_export", problem).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Streams the package as the download <paramref name="fileName"/> and records the export; the read itself is recorded
    /// by the caller first. Returns why the package cannot be made when nothing was sent yet, for the caller to answer.
    /// </summary>
    public async Task<string?> StreamAsync(HttpContext context, Caller caller, ExportRequest request, string fileName)
    {
        // System.IO.Compression disposes a zip entry's stream synchronously, even from DisposeAsync (.NET 10): without this,
        // Kestrel would refuse the end of each entry. The blocking writes are those of one auditor's download.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        context.Response.ContentType = "application/zip";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        ExportSummary summary;
        try
        {
            summary = await exporter.ExportAsync(request, context.Response.Body, null, context.RequestAborted).ConfigureAwait(false);
        }
        catch (EvidenceExportException ex) when (!context.Response.HasStarted)
        {
            context.Response.Headers.ContentDisposition = default;
            context.Response.ContentType = null;
            return ex.Message;
        }

        await exports.RecordExportAsync(caller, request, summary, CancellationToken.None).ConfigureAwait(false);
        return null;
    }

    private static bool TryTime(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is { Length: > 0 } && ExaminerTime.TryParse(text, out time);
    }

    private static string? Optional(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
