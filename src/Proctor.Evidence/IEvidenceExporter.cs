namespace Proctor.Evidence;

/// <summary>
/// Writes one evidence package (docs/evidence.md) for a period to a stream: the CLI writes it to a file, the console
/// and the REST API stream it as a download. Memory stays flat whatever the period's size.
/// </summary>
public interface IEvidenceExporter
{
    Task<ExportSummary> ExportAsync(ExportRequest request, Stream destination, IProgress<ExportProgress>? progress, CancellationToken cancellationToken);
}

/// <summary>The period [From, To) and optional filters; events outside a filter are represented by proofs, not content.</summary>
public sealed record ExportRequest(DateTimeOffset From, DateTimeOffset To, string? Server = null, string? Identity = null);

public sealed record ExportProgress(long EventsDone, long EventsTotal);

/// <summary>What was exported; <see cref="Sha256"/> (hex) of the whole package is what the <c>evidence.export</c> event records.</summary>
public sealed record ExportSummary(long FirstIndex, long EndIndex, long EventsIncluded, long EventsWithheld, long TreeSize, long Bytes, string Sha256);
