using BenchmarkDotNet.Attributes;
using Proctor.Bench.Micro.Ledger.Baseline;
using Proctor.Ledger.Events;
using Proctor.Ledger.Log;
using Proctor.Ledger.Storage;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>
/// The per-event CPU work of an append outside the store, before and after: canonical JSON (on the caller's thread),
/// then sealing (entry bytes and leaf hash; after, also the batch's compression and checksum, per event of a batch of
/// 32). Allocations are reported too: unlike times, they do not move with the load of a shared machine.
/// </summary>
[MemoryDiagnoser]
public class LedgerEventCostBenchmarks
{
    private const int Batch = 32;
    private LedgerEvent _event = null!;
    private byte[][] _canonical = [];
    private readonly FrameBuilder _frame = new();

    [GlobalSetup]
    public void Setup()
    {
        _event = SampleEvents.Request(7);
        _canonical = [.. Enumerable.Range(0, Batch).Select(i => EventJson.Canonical(SampleEvents.Request(i)))];
    }

    [Benchmark(Baseline = true)]
    public byte[] CanonicalBefore() => BaselineEventJson.Canonical(_event);

    [Benchmark]
    public byte[] CanonicalAfter() => EventJson.Canonical(_event);

    [Benchmark(OperationsPerInvoke = Batch)]
    public int SealBefore()
    {
        var length = 0;
        for (var i = 0; i < Batch; i++)
        {
            length += LedgerEntry.Seal(12_345 + i, _canonical[i]).LeafHash.Length;
        }
        return length;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int FrameAfter()
    {
        _frame.Begin(12_345);
        for (var i = 0; i < Batch; i++)
        {
            _frame.AddEvent(_canonical[i]);
        }
        return _frame.Finish().Length;
    }
}
