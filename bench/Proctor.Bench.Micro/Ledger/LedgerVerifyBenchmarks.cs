using BenchmarkDotNet.Attributes;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Checkpoints;
using Proctor.Ledger.Merkle;
using Proctor.Ledger.Storage;
using Proctor.Ledger.Verification;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>Verifier speed over a 100,000-event ledger before and after, and the storage each takes. The per-event JSON and leaf hash cost is <see cref="LedgerEventCostBenchmarks"/>.</summary>
public class LedgerVerifyBenchmarks
{
    public const int Events = 100_000;
    private string _directory = "";
    private IEntryStore _entries = null!;
    private ICheckpointStore _checkpoints = null!;
    private IAsyncDisposable _owner = null!;
    private EcdsaFileSigner _signer = null!;

    [Params(LedgerStores.Before, LedgerStores.After)]
    public string Store { get; set; } = "";

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("proctor-bench-verify-").FullName;
        (_entries, _checkpoints, _owner) = await LedgerStores.OpenAsync(Store, _directory);
        _signer = EcdsaFileSigner.OpenOrCreate(Path.Combine(_directory, "ledger.key"), "bench.example/ledger");
        var tree = new CompactRange();
        await using (var ledger = new AuditLedger(_entries))
        {
            for (var start = 0; start < Events; start += 1_000)
            {
                foreach (var receipt in await Task.WhenAll(Enumerable.Range(start, 1_000).Select(i => ledger.AppendAsync(SampleEvents.Request(i)))))
                {
                    tree.Append(receipt.LeafHash);
                }
            }
        }
        var note = await SignedNote.SignAsync(new Checkpoint("bench.example/ledger", Events, tree.Root(), DateTimeOffset.UtcNow).ToNoteText(), _signer, default);
        await _checkpoints.AddCheckpointAsync(new StoredCheckpoint(Events, note, DateTimeOffset.UtcNow), default);
        var bytes = LedgerStores.StoredBytes(_directory, out var preallocated);
        Console.WriteLine($"// {Store}: {bytes} bytes for {Events} events = {bytes / Events} bytes/event (+{preallocated} bytes preallocated); canonical event {EntryDraft.From(SampleEvents.Request(7)).CanonicalEvent.Length} bytes");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _owner.DisposeAsync();
        _signer.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<bool> Verify()
    {
        var result = await new LedgerVerifier(_entries, _checkpoints, _signer.PublicKey).VerifyAsync();
        return result.IsValid && result.EntriesChecked == Events ? true : throw new InvalidOperationException(result.Problem?.Message ?? $"{result.EntriesChecked} entries");
    }
}
