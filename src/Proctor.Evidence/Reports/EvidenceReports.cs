using System.Text;
using Proctor.Evidence.Package;
using Proctor.Evidence.Reports.Access;
using Proctor.Evidence.Reports.Egress;
using Proctor.Evidence.Reports.Sessions;
using Proctor.Ledger.Events;

namespace Proctor.Evidence.Reports;

/// <summary>
/// The reports/ files of a package. Memory: an export may show these reports 1,000,000 events, so only aggregates are
/// kept — counters per identity, per (identity, server), per reason and per entity type, one entry per approval, grant,
/// policy version and session id — never an event; transcripts are read back one session at a time when written.
/// The bound is thus the number of distinct identities, approvals, grants and sessions, not of events.
/// </summary>
public sealed class EvidenceReports(ReportSettings settings) : IEvidenceReports
{
    private readonly IdentityTally _identities = new();
    private readonly ApprovalTally _approvals = new();
    private readonly GrantTally _grants = new();
    private readonly DenialTally _denials = new();
    private readonly PolicyTally _policies = new();
    private readonly EgressTally _egress = new();
    private readonly SessionTranscripts _sessions = new();

    public void Observe(long index, LedgerEvent ledgerEvent)
    {
        _identities.Observe(ledgerEvent);
        _approvals.Observe(ledgerEvent);
        _grants.Observe(ledgerEvent);
        _denials.Observe(ledgerEvent);
        _policies.Observe(ledgerEvent);
        _egress.Observe(ledgerEvent);
        _sessions.Observe(ledgerEvent);
    }

    public async Task WriteAsync(IPackageSink sink, ReportContext context, CancellationToken cancellationToken)
    {
        await WriteJsonAsync(sink, "reports/access.json", AccessReport.Build(_identities, _approvals, _grants, _denials, _policies), cancellationToken).ConfigureAwait(false);
        await WriteJsonAsync(sink, "reports/data-left.json", DataLeftReport.Build(_egress, settings), cancellationToken).ConfigureAwait(false);
        await WriteJsonAsync(sink, "reports/masking.json", MaskingReport.Build(_egress, settings), cancellationToken).ConfigureAwait(false);
        var transcripts = await _sessions.WriteAsync(sink, context, cancellationToken).ConfigureAwait(false);
        var summary = Summary(context, transcripts);
        await WriteJsonAsync(sink, "reports/summary.json", summary, cancellationToken).ConfigureAwait(false);
        var html = Encoding.UTF8.GetBytes(HtmlReport.Render(summary));
        await sink.WriteFileAsync("reports/report.html", (stream, ct) => stream.WriteAsync(html, ct).AsTask(), cancellationToken).ConfigureAwait(false);
    }

    private ReportSummary Summary(ReportContext context, IReadOnlyList<TranscriptFile> transcripts)
    {
        var figures = Figures(context);
        return new ReportSummary(
            context.Request.From,
            context.Request.To,
            context.Request.Server,
            context.Request.Identity,
            context.FirstIndex,
            context.EndIndex,
            context.Checkpoint.TreeSize,
            context.KeyId,
            settings.ConfigurationHash,
            settings.Retention,
            settings.WormArchive,
            figures,
            ControlMap.For(figures, settings),
            IdentityRows(),
            transcripts);
    }

    private ReportFigures Figures(ReportContext context)
    {
        var identities = _identities.Identities;
        var approvals = _approvals.Approvals;
        var grants = _grants.Grants;
        return new ReportFigures(
            context.EventsIncluded,
            context.EndIndex - context.FirstIndex - context.EventsIncluded,
            identities.Count,
            _sessions.Count,
            _egress.Total.Calls,
            _egress.Total.BytesReturned,
            _egress.Total.ItemsReturned,
            _egress.Total.MaskedByType.Values.Sum(),
            approvals.Count,
            approvals.Count(approval => approval.ApproverIsRequester),
            grants.Count,
            grants.Count(grant => grant.SelfApproved),
            grants.Sum(grant => grant.Uses) + _grants.UsesOfEarlierGrants.Sum(use => use.Calls),
            grants.Count(grant => grant.BreakGlass),
            grants.Count(grant => grant.BreakGlass && grant.ReviewId is not null && grant.ReviewClosedBy is null),
            _denials.Total,
            _policies.Policies.Count,
            _policies.Refused.Count,
            identities.Count(identity => identity.Amr.Count == 0));
    }

    private List<IdentityRow> IdentityRows()
    {
        var egress = _egress.Pairs.GroupBy(pair => pair.Subject, StringComparer.Ordinal).ToDictionary(
            group => group.Key,
            group => (Bytes: group.Sum(pair => pair.Counters.BytesReturned), Masked: group.Sum(pair => pair.Counters.MaskedByType.Values.Sum())),
            StringComparer.Ordinal);
        return [.. _identities.Identities.Select(identity =>
        {
            var (bytes, masked) = egress.GetValueOrDefault(identity.Subject);
            return new IdentityRow(identity.Subject, identity.Calls, bytes, masked, [.. identity.Amr]);
        })];
    }

    private static Task WriteJsonAsync<T>(IPackageSink sink, string path, T value, CancellationToken cancellationToken) =>
        sink.WriteFileAsync(path, (stream, ct) => ReportJson.WriteAsync(stream, value, ct), cancellationToken);
}
