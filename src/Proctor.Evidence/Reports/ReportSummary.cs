using Proctor.Evidence.Reports.Sessions;

namespace Proctor.Evidence.Reports;

/// <summary>reports/summary.json, and everything the HTML report shows.</summary>
public sealed record ReportSummary(
    DateTimeOffset From,
    DateTimeOffset To,
    string? Server,
    string? Identity,
    long FirstIndex,
    long EndIndex,
    long CheckpointTreeSize,
    string KeyId,
    string ConfigurationHash,
    string? Retention,
    string? WormArchive,
    ReportFigures Figures,
    IReadOnlyList<ControlEvidence> Controls,
    IReadOnlyList<IdentityRow> Identities,
    IReadOnlyList<TranscriptFile> Transcripts);

public sealed record IdentityRow(string Subject, long Calls, long BytesReturned, long EntitiesMasked, IReadOnlyList<string> Amr);
