using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Proctor.Evidence.Package;
using Proctor.Ledger.Events;
using Proctor.Ledger.Examination;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Reports.Sessions;

/// <summary>
/// One masked transcript per session with events in the package: reports/sessions/&lt;id&gt;.json, the session's events
/// of the period as the ledger stores them (<see cref="ExaminerJson.Replay"/>). Only session ids are kept while the
/// events stream by; each session is read back from the ledger when its file is written.
/// </summary>
internal sealed class SessionTranscripts
{
    private readonly HashSet<string> _sessions = new(StringComparer.Ordinal);

    public int Count => _sessions.Count;

    public void Observe(LedgerEvent ledgerEvent)
    {
        if (ledgerEvent.Location?.SessionId is { Length: > 0 } sessionId)
        {
            _sessions.Add(sessionId);
        }
    }

    /// <summary>Writes every transcript and returns the files, by session id, for the summary to list.</summary>
    public async Task<IReadOnlyList<TranscriptFile>> WriteAsync(IPackageSink sink, ReportContext context, CancellationToken cancellationToken)
    {
        var files = new List<TranscriptFile>(_sessions.Count);
        foreach (var sessionId in _sessions.Order(StringComparer.Ordinal))
        {
            var records = await context.ReadSession(sessionId, cancellationToken).ConfigureAwait(false);
            var timeline = SessionTimeline.From(sessionId, [.. records.Where(record => InPackage(record, context))]);
            var path = $"reports/sessions/{FileNameOf(sessionId)}.json";
            await sink.WriteFileAsync(path, (stream, ct) => ReportJson.WriteAsync(stream, ExaminerJson.Replay(timeline), ct), cancellationToken).ConfigureAwait(false);
            files.Add(new TranscriptFile(sessionId, path, timeline.Events.Count, timeline.PurgedEvents));
        }

        return files;
    }

    /// <summary>
    /// The rule the package applies to its events (<see cref="ExportFilter"/>), within the package's index range. A purged
    /// event (no content left) cannot be matched to a filter and is only counted.
    /// </summary>
    private static bool InPackage(EventRecord record, ReportContext context)
    {
        if (record.Index < context.FirstIndex || record.Index >= context.EndIndex)
        {
            return false;
        }

        return record.Parse() is not { } stored
            ? record.Time >= context.Request.From && record.Time < context.Request.To
            : ExportFilter.Includes(context.Request, stored);
    }

    /// <summary>
    /// A session id is chosen by the client on some transports, so it names a file only when it is plainly safe;
    /// any other id is named by its SHA-256 (the file itself carries the id).
    /// </summary>
    internal static string FileNameOf(string sessionId) =>
        sessionId.Length is > 0 and <= 100 && sessionId[0] != '.' && sessionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? sessionId
            : "sha256-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)));
}

public sealed record TranscriptFile(string SessionId, string Path, int Events, int PurgedEvents);
