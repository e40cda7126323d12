using System.Threading.RateLimiting;

namespace Proctor.Http.Limits;

/// <summary>
/// A token bucket that reads time from a <see cref="TimeProvider"/> (the framework's reads the system clock, so
/// tests could not move it): <c>perSecond</c> tokens a second, holding at most one second's worth, so a caller
/// may start that many calls at once and then that many a second. Tokens are counted when asked for, so no
/// timer runs per identity. It never queues: a gateway answers a caller over its rate at once (429).
/// </summary>
internal sealed class ClockTokenBucket(int perSecond, TimeProvider time) : RateLimiter
{
    private readonly Lock _lock = new();
    private double _tokens = perSecond;
    private long _updated = time.GetTimestamp();

    /// <summary>Idle once full again: a full bucket forgotten and made anew is the same bucket.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var sinceFull = time.GetElapsedTime(_updated) - TimeSpan.FromSeconds((perSecond - _tokens) / perSecond);
                return sinceFull >= TimeSpan.Zero ? sinceFull : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill();
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            Refill();
            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Lease.Acquired;
            }

            return new Lease(false, TimeSpan.FromSeconds((permitCount - _tokens) / perSecond));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(perSecond, _tokens + (time.GetElapsedTime(_updated, now).TotalSeconds * perSecond));
        _updated = now;
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}
