using BenchmarkDotNet.Attributes;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>
/// Durable appends per second, before (one SQLite row per event, four indexes, synchronous=FULL) and after (one log
/// frame per batch, one fdatasync; the index filled in the background, whose CPU competes here too), with 1, 8 and 64
/// concurrent closed-loop writers. Both go through the same <see cref="AuditLedger"/> group commit and canonical writer.
/// </summary>
public class LedgerAppendBenchmarks
{
    private const int AppendsPerInvoke = 4_096;
    private string _directory = "";
    private IAsyncDisposable _owner = null!;
    private AuditLedger _ledger = null!;
    private LedgerEvent[] _events = [];
    private long _appended;

    [Params(LedgerStores.Before, LedgerStores.After)]
    public string Store { get; set; } = "";

    [Params(1, 8, 64)]
    public int Writers { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("proctor-bench-ledger-").FullName;
        var (entries, _, owner) = await LedgerStores.OpenAsync(Store, _directory);
        _owner = owner;
        _ledger = new AuditLedger(entries);
        _events = Enumerable.Range(0, AppendsPerInvoke).Select(SampleEvents.Request).ToArray();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _ledger.DisposeAsync();
        await _owner.DisposeAsync();
        var bytes = LedgerStores.StoredBytes(_directory, out var preallocated);
        Console.WriteLine($"// {Store}, {Writers} writer(s): {bytes} bytes for {_appended} events = {bytes / Math.Max(1, _appended)} bytes/event (+{preallocated} bytes preallocated)");
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = AppendsPerInvoke)]
    public async Task AppendDurably()
    {
        var writers = new Task[Writers];
        var perWriter = AppendsPerInvoke / Writers;
        for (var w = 0; w < Writers; w++)
        {
            var first = w * perWriter;
            writers[w] = Task.Run(async () =>
            {
                for (var i = first; i < first + perWriter; i++)
                {
                    await _ledger.AppendAsync(_events[i]);
                }
            });
        }
        await Task.WhenAll(writers);
        _appended += AppendsPerInvoke;
    }
}
