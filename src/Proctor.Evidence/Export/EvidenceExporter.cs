using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Proctor.Evidence.Package;
using Proctor.Evidence.Reports;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Export;

/// <summary>
/// Streams one evidence package as a zip (docs/evidence.md): the period's events a page at a time, then every leaf hash
/// of the period, the proofs tying them to a signed checkpoint, the reports, and last the signed manifest. Nothing of
/// the period is held in memory, so an export of a year costs the memory of an export of a day.
/// </summary>
public sealed class EvidenceExporter(ILedgerStore store, ICheckpointSigner signer, EvidenceExporterOptions options) : IEvidenceExporter
{
    private const int PageSize = 1_024;
    private static readonly ReadOnlyMemory<byte> Newline = "\n"u8.ToArray();

    public async Task<ExportSummary> ExportAsync(ExportRequest request, Stream destination, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        if (request.To <= request.From)
        {
            throw new EvidenceExportException($"The period ends ({request.To:O}) before it starts ({request.From:O}); give --from earlier than --to.");
        }
        var (first, end) = await store.FindPeriodAsync(request.From, request.To, cancellationToken).ConfigureAwait(false);
        var covering = await CoveringCheckpointAsync(end, cancellationToken).ConfigureAwait(false);
        var tree = new StoredTree(store);
        var reports = options.Reports?.Invoke();

        await using var hashed = new HashingStream(destination);
        long included, withheld;
        await using (var archive = await ZipArchive.CreateAsync(hashed, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken).ConfigureAwait(false))
        {
            var sink = new ZipPackageSink(archive);
            (included, withheld) = await WriteEventsAsync(sink, request, first, end, reports, progress, cancellationToken).ConfigureAwait(false);
            await sink.WriteFileAsync(PackageFiles.Leaves, (s, ct) => WriteLeavesAsync(s, first, end, ct), cancellationToken).ConfigureAwait(false);

            var coveringCheckpoint = CheckpointChain.Parse(covering);
            var prefix = await tree.PrefixAsync(first, cancellationToken).ConfigureAwait(false);
            var endToTree = await tree.ConsistencyAsync(end, covering.TreeSize, cancellationToken).ConfigureAwait(false);
            await WriteJsonAsync(sink, PackageFiles.Tree, json => PackageDocuments.WriteTree(json, first, prefix, end, covering.TreeSize, endToTree), cancellationToken).ConfigureAwait(false);

            var chain = await CheckpointChain.SelectAsync(store, request, first, covering, cancellationToken).ConfigureAwait(false);
            var links = await CheckpointChain.ProveAsync(chain, tree, first, end, cancellationToken).ConfigureAwait(false);
            await WriteJsonAsync(sink, PackageFiles.Checkpoints, json => PackageDocuments.WriteCheckpoints(json, links), cancellationToken).ConfigureAwait(false);
            await sink.WriteFileAsync(PackageFiles.VerifierKey, (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(signer.PublicKey + "\n"), ct).AsTask(), cancellationToken).ConfigureAwait(false);

            if (reports is not null)
            {
                var context = new ReportContext(request, first, end, included, covering, $"{signer.PublicKey.Name}+{signer.PublicKey.KeyId:x8}", store.ReadSessionAsync);
                await reports.WriteAsync(new ReportsOnlySink(sink), context, cancellationToken).ConfigureAwait(false);
            }

            var described = new ExportSummary(first, end, included, withheld, covering.TreeSize, 0, "");
            var createdAt = options.Time.GetUtcNow();
            await WriteJsonAsync(sink, PackageFiles.Description, json => PackageDocuments.WriteDescription(json, request, described, coveringCheckpoint, signer.PublicKey, createdAt, options.GatewayVersion), cancellationToken).ConfigureAwait(false);

            var manifest = await Manifest.SignAsync(sink.Written, signer, cancellationToken).ConfigureAwait(false);
            var entry = archive.CreateEntry(PackageFiles.Manifest, CompressionLevel.NoCompression);
            await using var written = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await written.WriteAsync(Encoding.UTF8.GetBytes(manifest), cancellationToken).ConfigureAwait(false);
        }
        await hashed.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new ExportSummary(first, end, included, withheld, covering.TreeSize, hashed.Written, hashed.Sha256Hex());
    }

    /// <summary>The first signed checkpoint whose tree holds every index below <paramref name="end"/>; signed now when there is none yet (decision 0046).</summary>
    private async Task<StoredCheckpoint> CoveringCheckpointAsync(long end, CancellationToken cancellationToken)
    {
        var covering = await store.FindCheckpointAsync(Math.Max(end, 1), atMost: false, cancellationToken).ConfigureAwait(false);
        if (covering is null && options.SignCheckpoint is { } sign)
        {
            covering = await sign(cancellationToken).ConfigureAwait(false);
        }
        return covering is { } found && found.TreeSize >= end
            ? found
            : throw new EvidenceExportException($"No signed checkpoint covers the period's last event (index {end - 1}) yet. The gateway signs one every 10 seconds while it runs and one when it stops: start 'proctor serve' (or stop it cleanly), wait, and export again.");
    }

    /// <summary>events.jsonl: each included entry exactly as stored (<c>{"event":…,"index":n}</c>, whose hash is its leaf), one a line.</summary>
    private async Task<(long Included, long Withheld)> WriteEventsAsync(IPackageSink sink, ExportRequest request, long first, long end, IEvidenceReports? reports, IProgress<ExportProgress>? progress, CancellationToken cancellationToken)
    {
        long included = 0, withheld = 0;
        await sink.WriteFileAsync(PackageFiles.Events, async (stream, ct) =>
        {
            for (var at = first; at < end; at += PageSize)
            {
                var page = await store.ReadEntriesAsync(at, (int)Math.Min(PageSize, end - at), ct).ConfigureAwait(false);
                var expected = at;
                foreach (var entry in page)
                {
                    if (entry.Index != expected++)
                    {
                        throw new EvidenceExportException($"The ledger has no entry at index {expected - 1}; run 'proctor audit verify' before exporting.");
                    }
                    if (entry.Bytes is { } bytes && EventJson.Parse(LedgerEntry.EventOf(bytes).Span) is var e && ExportFilter.Includes(request, e))
                    {
                        await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
                        await stream.WriteAsync(Newline, ct).ConfigureAwait(false);
                        reports?.Observe(entry.Index, e);
                        included++;
                    }
                    else
                    {
                        withheld++;
                    }
                }
                if (expected != Math.Min(at + PageSize, end))
                {
                    throw new EvidenceExportException($"The ledger has no entry at index {expected}; run 'proctor audit verify' before exporting.");
                }
                progress?.Report(new ExportProgress(expected - first, end - first));
            }
        }, cancellationToken).ConfigureAwait(false);
        return (included, withheld);
    }

    /// <summary>leaves.txt: the leaf hash of every index of the period, lowercase hex, one a line: what stands for the withheld events.</summary>
    private async Task WriteLeavesAsync(Stream stream, long first, long end, CancellationToken cancellationToken)
    {
        var line = new byte[2 * 32 + 1];
        line[^1] = (byte)'\n';
        for (var at = first; at < end; at += StoredTree.PageSize)
        {
            foreach (var leaf in await store.ReadLeafHashesAsync(at, (int)Math.Min(StoredTree.PageSize, end - at), cancellationToken).ConfigureAwait(false))
            {
                Convert.TryToHexStringLower(leaf, line, out _);
                await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static Task WriteJsonAsync(IPackageSink sink, string path, Action<Utf8JsonWriter> write, CancellationToken cancellationToken) =>
        sink.WriteFileAsync(path, async (stream, ct) =>
        {
            await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            write(json);
            await json.FlushAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The reports write only under reports/: the files the verifier relies on are the exporter's alone.</summary>
    private sealed class ReportsOnlySink(IPackageSink inner) : IPackageSink
    {
        public Task WriteFileAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
            path.StartsWith(PackageFiles.ReportsFolder, StringComparison.Ordinal) && !path.Contains("..", StringComparison.Ordinal)
                ? inner.WriteFileAsync(path, write, cancellationToken)
                : throw new InvalidOperationException($"A report tried to write {path}; reports write under {PackageFiles.ReportsFolder} only.");
    }
}
