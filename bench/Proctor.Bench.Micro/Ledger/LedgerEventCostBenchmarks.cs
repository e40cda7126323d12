using BenchmarkDotNet.Attributes;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>
/// The per-event CPU work of an append outside the store, stage by stage: canonical JSON (on the caller's thread)
/// and the entry with its leaf hash (on the writer). Allocations are reported too: unlike times, they do not move
/// with the load of a shared machine.
/// </summary>
[MemoryDiagnoser]
public class LedgerEventCostBenchmarks
{
    private LedgerEvent _event = null!;
    private byte[] _canonical = [];

    [GlobalSetup]
    public void Setup()
    {
        _event = SampleEvents.Request(7);
        _canonical = EventJson.Canonical(_event);
    }

    [Benchmark]
    public byte[] CanonicalEvent() => EventJson.Canonical(_event);

    [Benchmark]
    public byte[] SealEntry() => LedgerEntry.Seal(12_345, _canonical).LeafHash;
}
