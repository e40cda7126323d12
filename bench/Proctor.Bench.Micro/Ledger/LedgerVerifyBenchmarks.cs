using BenchmarkDotNet.Attributes;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>Verifier speed over a 100,000-event ledger, and the storage it takes. The per-event JSON and leaf hash cost is <see cref="LedgerEventCostBenchmarks"/>.</summary>
public class LedgerVerifyBenchmarks
{
    private const int Events = 100_000;
    private string _directory = "";
    private SqliteLedgerStore _store = null!;
    private EcdsaFileSigner _signer = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("proctor-bench-verify-").FullName;
        var path = Path.Combine(_directory, "ledger.db");
        _store = await SqliteLedgerStore.OpenAsync(path);
        _signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(_directory, "ledger.key"), "bench.example/ledger");
        await using (var ledger = new AuditLedger(_store))
        {
            for (var start = 0; start < Events; start += 1_000)
            {
                await Task.WhenAll(Enumerable.Range(start, 1_000).Select(i => ledger.AppendAsync(SampleEvents.Request(i))));
            }
        }
        await new Checkpointer(_store, _signer, new CheckpointerOptions { Origin = "bench.example/ledger" }, TimeProvider.System).CheckpointAsync(default);
        var bytes = new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0);
        Console.WriteLine($"// ledger storage: {bytes} bytes for {Events} events = {bytes / Events} bytes/event; canonical event {EntryDraft.From(SampleEvents.Request(7)).CanonicalEvent.Length} bytes");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _store.DisposeAsync();
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<bool> Verify()
    {
        var result = await new LedgerVerifier(_store, _store, _signer.PublicKey).VerifyAsync();
        return result.IsValid ? true : throw new InvalidOperationException(result.Problem!.Message);
    }
}
