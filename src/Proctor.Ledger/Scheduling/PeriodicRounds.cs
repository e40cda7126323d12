namespace Proctor.Ledger.Scheduling;

/// <summary>
/// Runs a round at start and then on every tick of a fixed interval until stopped: the loop that the
/// checkpointer and the retention schedule share. A failed round is reported and the next tick tries again.
/// </summary>
internal sealed class PeriodicRounds(string name, TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> round, Action<Exception> onFailure)
{
    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException($"The {name} is already running.");
        }

        _stopping = new CancellationTokenSource();
        _loop = RunAsync(_stopping.Token);
    }

    /// <summary>Cancels the round in progress, if any, and waits for the loop to end.</summary>
    public async Task StopAsync()
    {
        if (_loop is null)
        {
            return;
        }

        await _stopping!.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _loop = null;
        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await round(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                onFailure(failure);
            }
        }
        while (await WaitForTickAsync(timer, stopping).ConfigureAwait(false));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stopping)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
