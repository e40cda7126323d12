using Proctor.Ledger.Events;
using Proctor.Ledger.Scheduling;
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

    private PeriodicRounds? _rounds;

    public void Start() => Rounds.Start();

    public Task StopAsync() => Rounds.StopAsync();

    // Built on first use: a primary constructor's field initializers cannot refer to this instance's methods.
    private PeriodicRounds Rounds => _rounds ??= new PeriodicRounds("retention schedule", options.Interval, time,
        PurgeOnceAsync,
        failure => options.OnFailure?.Invoke(failure)); // the next round tries again; payloads are only kept longer

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
