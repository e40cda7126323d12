namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>
/// The peak of live managed memory in this process (which hosts the gateway) while something runs:
/// sampled every 100 ms after a full collection, so that garbage does not count, only what is held.
/// Tests using it run in <see cref="MemoryCollection"/>, alone, so other tests' memory does not count either.
/// </summary>
internal sealed class HeapWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private long _peak;

    private HeapWatch()
    {
        Baseline = GC.GetTotalMemory(forceFullCollection: true);
        _peak = Baseline;
        _sampler = Task.Run(SampleAsync);
    }

    public long Baseline { get; }

    /// <summary>The most the live heap grew above its size when the watch started.</summary>
    public long PeakGrowth => Volatile.Read(ref _peak) - Baseline;

    public static HeapWatch Start() => new();

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var live = GC.GetTotalMemory(forceFullCollection: true);
            if (live > Volatile.Read(ref _peak))
            {
                Volatile.Write(ref _peak, live);
            }

            try
            {
                await Task.Delay(100, _stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        _stop.Dispose();
    }
}

/// <summary>Tests that measure this process's memory run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    public const string Name = "memory";
}
