using BenchmarkDotNet.Attributes;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Storage.Sqlite.Ledger;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>Durable appends per second on SQLite (WAL, synchronous=FULL) with 1 and with 64 concurrent writers.</summary>
public class LedgerAppendBenchmarks
{
    private const int AppendsPerInvoke = 4_096;
    private string _directory = "";
    private SqliteLedgerStore _store = null!;
    private AuditLedger _ledger = null!;
    private LedgerEvent[] _events = [];

    [Params(1, 64)]
    public int Writers { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _directory = Directory.CreateTempSubdirectory("proctor-bench-ledger-").FullName;
        _store = await SqliteLedgerStore.OpenAsync(Path.Combine(_directory, "ledger.db"));
        _ledger = new AuditLedger(_store);
        _events = Enumerable.Range(0, AppendsPerInvoke).Select(SampleEvents.Request).ToArray();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _ledger.DisposeAsync();
        await _store.DisposeAsync();
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
    }
}
