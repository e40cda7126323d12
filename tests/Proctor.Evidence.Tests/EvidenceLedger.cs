using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Proctor.Evidence.Export;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Evidence.Tests;

/// <summary>
/// A real ledger (the SQLite store and its log) with one event a minute from <see cref="Start"/>, three callers on two
/// servers, approvals decided by bob about alice's calls, and checkpoints signed by a real key where a test asks.
/// Every event's arguments carry a marker naming its actor and index, so a test can prove withheld content is absent.
/// </summary>
internal sealed class EvidenceLedger : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Subjects = ["alice", "bob", "carol"];

    private EvidenceLedger(SqliteLedgerStore store, EcdsaFileSigner signer, FakeTimeProvider time)
    {
        Store = store;
        Signer = signer;
        Time = time;
    }

    public SqliteLedgerStore Store { get; }
    public EcdsaFileSigner Signer { get; }
    public FakeTimeProvider Time { get; }
    public long Size { get; private set; }

    public static Task<EvidenceLedger> CreateAsync(string keyName = "bank.example/proctor-ledger") => CreateAsync(keyName, null);

    /// <summary>Another ledger signed with the same key file: two histories one key vouches for.</summary>
    public static async Task<EvidenceLedger> CreateAsync(string keyName, string? keyPath)
    {
        var directory = Directory.CreateTempSubdirectory("proctor-evidence-").FullName;
        var store = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "proctor.db"));
        var signer = EcdsaFileSigner.OpenOrCreate(keyPath ?? Path.Combine(directory, "ledger-signing.key"), keyName);
        return new EvidenceLedger(store, signer, new FakeTimeProvider(Start));
    }

    public string KeyPath => Path.Combine(Path.GetDirectoryName(Store.LogFolderPath)!, "ledger-signing.key");

    /// <summary>Appends events up to index <paramref name="end"/>, event i at <see cref="Start"/> + i minutes.</summary>
    public async Task AppendUntilAsync(long end)
    {
        var drafts = new List<EntryDraft>();
        for (var i = Size; i < end; i++)
        {
            drafts.Add(EntryDraft.From(Event(i)));
        }
        Time.SetUtcNow(Start.AddMinutes(end - 1).AddSeconds(30));
        await Store.AppendAsync(drafts, default);
        Size = end;
    }

    public Task<StoredCheckpoint?> CheckpointAsync() =>
        new Checkpointer(Store, Signer, new CheckpointerOptions { Origin = "bank.example/proctor-ledger" }, Time).CheckpointAsync(default);

    public async Task<byte[]> ExportAsync(ExportRequest request, Func<CancellationToken, Task<StoredCheckpoint?>>? signCheckpoint = null)
    {
        var exporter = new EvidenceExporter(Store, Signer, new EvidenceExporterOptions { Time = Time, GatewayVersion = "test", SignCheckpoint = signCheckpoint });
        using var output = new MemoryStream();
        await exporter.ExportAsync(request, output, null, default);
        return output.ToArray();
    }

    public static string SubjectOf(long index) => Subjects[index % 3];

    public static string ServerOf(long index) => index % 2 == 0 ? "crm" : "core";

    public static string Marker(long index) => $"marker-{SubjectOf(index)}-{index}.";

    /// <summary>Every fifth event is an approval bob decided on a call alice asked for.</summary>
    public static LedgerEvent Event(long index) => index % 5 == 4
        ? new LedgerEvent
        {
            Id = Guid.CreateVersion7(Start.AddMinutes(index)).ToString(),
            Kind = EventKinds.ApprovalApprove,
            Time = Start.AddMinutes(index),
            Actor = new EventActor { Subject = "bob" },
            Location = new EventLocation { Server = ServerOf(index) },
            Action = new EventAction { Method = "tools/call", Name = "transfer", Arguments = JsonSerializer.SerializeToElement(new { note = $"marker-approval-{index}" }) },
            Details = JsonSerializer.SerializeToElement(new { approval_id = $"ap-{index}", requester = "alice" }),
        }
        : new LedgerEvent
        {
            Id = Guid.CreateVersion7(Start.AddMinutes(index)).ToString(),
            Kind = EventKinds.CallRequest,
            Time = Start.AddMinutes(index),
            Actor = new EventActor { Subject = SubjectOf(index) },
            Location = new EventLocation { Server = ServerOf(index), SessionId = $"session-{SubjectOf(index)}" },
            Action = new EventAction { Method = "tools/call", Name = "lookup", Arguments = JsonSerializer.SerializeToElement(new { account = "[MASKED:account]", note = Marker(index) }) },
        };

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Signer.Dispose();
    }
}
