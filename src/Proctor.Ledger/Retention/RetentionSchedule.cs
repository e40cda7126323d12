using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;

namespace Proctor.Ledger.Retention;

/// <summary>
/// Applies the configured retention (AU-11) while the gateway runs: at start and then on a fixed interval, purges the
/// payloads of events older than the cutoff through <see cref="PayloadPurger"/>, so holds are respected and each purge
/// is itself a ledger event recorded before anything is dropped. A round with nothing to purge records nothing.
/// </summary>
public sealed class RetentionSchedule(PayloadPurger purger, IRetentionStore store, RetentionScheduleOptions options, TimeProvider time) : IAsyncDisposable
{
    /// <summary>Who purges, as the ledger names it: the gateway itself, by its configuration.</summary>
    public static readonly EventActor Actor = new() { Subject = "proctor:retention", AuthMethod = "none" };

    private CancellationTokenSource? _stopping;
    private Task? _loop;

    public void Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The retention schedule is already running.");
        }

        _stopping = new CancellationTokenSource();
        _loop = RunAsync(_stopping.Token);
    }

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

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>One round: the purge it made, or null when nothing was past retention.</summary>
    public async Task<PurgeResult?> PurgeOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = options.CutoffAt(time.GetUtcNow());
        if (await store.CountPurgeableAsync(cutoff, cancellationToken).ConfigureAwait(false) == 0)
        {
            return null;
        }

        return await purger.PurgeAsync(cutoff, Actor, cancellationToken, options.Retention).ConfigureAwait(false);
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Interval, time);
        do
        {
            try
            {
                await PurgeOnceAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception failure)
            {
                options.OnFailure?.Invoke(failure); // the next round tries again; payloads are only kept longer
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

public sealed record RetentionScheduleOptions
{
    /// <summary>The retention as configured (<c>7y</c>), recorded in each purge event.</summary>
    public required string Retention { get; init; }

    /// <summary>From the time of a round to the instant before which payloads are past retention.</summary>
    public required Func<DateTimeOffset, DateTimeOffset> CutoffAt { get; init; }

    public required TimeSpan Interval { get; init; }

    public Action<Exception>? OnFailure { get; init; }
}
