using System.Text;
using System.Text.Json;
using Proctor.Evidence.Package;
using Proctor.Evidence.Reports;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Evidence.Tests.Reports;

/// <summary>Runs the real reports over events, with sessions read back from their canonical bytes as the store keeps them.</summary>
internal static class ReportHarness
{
    public static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset To = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly ReportSettings NoSettings = new([], [], [], 0, null, null, "sha256:config");

    public static Task<IReadOnlyDictionary<string, string>> RunAsync(IReadOnlyList<LedgerEvent> events, ReportSettings? settings = null, ExportRequest? request = null, long firstIndex = 0)
    {
        var records = events.Select((e, i) => new EventRecord(firstIndex + i, e.Id, e.Kind, e.Time, e.Location?.SessionId, EventJson.Canonical(e))).ToList();
        return RunAsync(
            [.. records.Select(record => (record.Index, EventJson.Parse(record.CanonicalEvent)))],
            firstIndex,
            firstIndex + records.Count,
            (sessionId, _) => Task.FromResult<IReadOnlyList<EventRecord>>([.. records.Where(record => record.SessionId == sessionId)]),
            settings,
            request);
    }

    /// <summary>Shows the reports <paramref name="included"/> as the exporter does, then writes them to memory.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> RunAsync(IReadOnlyList<(long Index, LedgerEvent Event)> included, long firstIndex, long endIndex,
        Func<string, CancellationToken, Task<IReadOnlyList<EventRecord>>> readSession, ReportSettings? settings = null, ExportRequest? request = null)
    {
        var reports = new EvidenceReports(settings ?? NoSettings);
        foreach (var (index, ledgerEvent) in included)
        {
            reports.Observe(index, ledgerEvent);
        }

        var context = new ReportContext(
            request ?? new ExportRequest(From, To),
            firstIndex,
            endIndex,
            included.Count,
            new StoredCheckpoint(endIndex, "note", To),
            "proctor-test+1234abcd",
            readSession);
        var sink = new MemorySink();
        await reports.WriteAsync(sink, context, CancellationToken.None);
        return sink.Files;
    }

    public static JsonElement Json(this IReadOnlyDictionary<string, string> files, string path) => JsonDocument.Parse(files[path]).RootElement;

    private sealed class MemorySink : IPackageSink
    {
        public Dictionary<string, string> Files { get; } = new(StringComparer.Ordinal);

        public async Task WriteFileAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
        {
            Assert.False(Files.ContainsKey(path), $"{path} was written twice");
            using var buffer = new MemoryStream();
            await write(buffer, cancellationToken);
            Files.Add(path, Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }
}
