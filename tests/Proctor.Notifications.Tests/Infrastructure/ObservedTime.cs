using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Proctor.Notifications.Tests.Infrastructure;

/// <summary>
/// A fake clock that also tells which waits the code under test started (every timer armed with a finite due time),
/// so a test advances exactly past the wait it expects instead of guessing, and never sleeps on a real timer.
/// </summary>
internal sealed class ObservedTime : TimeProvider
{
    /// <summary>How long a test waits, in real time, for the code to arm a timer before failing.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    public ObservedTime(DateTimeOffset? start = null) => Fake = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));

    public FakeTimeProvider Fake { get; }

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        // Told only once the timer exists: a test that advances the clock on hearing of it must not run ahead of it.
        var timer = new Observed(Fake.CreateTimer(callback, state, dueTime, period), this);
        Armed(dueTime);
        return timer;
    }

    public void Advance(TimeSpan by) => Fake.Advance(by);

    /// <summary>The due time of the next timer armed that <paramref name="which"/> accepts (others are skipped).</summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> which)
    {
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            var due = await _armed.Reader.ReadAsync(patience.Token);
            if (which(due))
            {
                return due;
            }
        }
    }

    private void Armed(TimeSpan due)
    {
        if (due != Timeout.InfiniteTimeSpan)
        {
            _armed.Writer.TryWrite(due);
        }
    }

    private sealed class Observed(ITimer inner, ObservedTime time) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            time.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
