using System.Threading.RateLimiting;
using Proctor.Configuration;
using Proctor.Configuration.Models;

namespace Proctor.Http.Limits;

/// <summary>
/// Per-identity call limits: calls in flight (<c>gateway.maxConcurrentCallsPerIdentity</c>) and calls started per
/// second (<c>gateway.maxCallsPerSecondPerIdentity</c>). One partition per identity in each limiter; a partition
/// idle for 10 s (no call in flight, bucket full again) is dropped by the framework's partitioned limiter, so
/// their number stays that of the identities active in the last seconds.
/// </summary>
internal sealed class CallLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _concurrency;
    private readonly PartitionedRateLimiter<string> _rate;

    public CallLimiter(GatewayLimits limits, TimeProvider time)
    {
        Limits = limits;
        _concurrency = PartitionedRateLimiter.Create<string, string>(identity => RateLimitPartition.GetConcurrencyLimiter(identity,
            _ => new ConcurrencyLimiterOptions { PermitLimit = limits.MaxConcurrentCallsPerIdentity, QueueLimit = 0 }));
        _rate = PartitionedRateLimiter.Create<string, string>(identity => RateLimitPartition.Get(identity,
            _ => new ClockTokenBucket(limits.MaxCallsPerSecondPerIdentity, time)));
    }

    public GatewayLimits Limits { get; }

    /// <summary>Admits one call of <paramref name="identity"/>, or says which limit refused it.</summary>
    /// <param name="holdsSlot">False for a long-lived stream (<c>subscriptions/listen</c>), which counts against the rate but holds no call slot.</param>
    public CallAdmission Admit(string identity, bool holdsSlot)
    {
        RateLimitLease? slot = null;
        if (holdsSlot)
        {
            slot = _concurrency.AttemptAcquire(identity);
            if (!slot.IsAcquired)
            {
                slot.Dispose();
                return CallAdmission.Refuse(CallLimit.ConcurrentCalls, null);
            }
        }

        using var token = _rate.AttemptAcquire(identity);
        if (!token.IsAcquired)
        {
            slot?.Dispose();
            return CallAdmission.Refuse(CallLimit.CallRate, token.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : null);
        }

        return CallAdmission.Admit(slot);
    }

    public void Dispose()
    {
        _concurrency.Dispose();
        _rate.Dispose();
    }
}

internal enum CallLimit
{
    ConcurrentCalls,
    CallRate,
}

/// <summary>An admitted call holds its slot until disposed; a refused one names the limit and, for the rate, when a token is due.</summary>
internal readonly struct CallAdmission : IDisposable
{
    private readonly RateLimitLease? _slot;

    private CallAdmission(RateLimitLease? slot, CallLimit? refused, TimeSpan? retryAfter)
    {
        _slot = slot;
        Refused = refused;
        RetryAfter = retryAfter;
    }

    public CallLimit? Refused { get; }

    public TimeSpan? RetryAfter { get; }

    public static CallAdmission Admit(RateLimitLease? slot) => new(slot, null, null);

    public static CallAdmission Refuse(CallLimit limit, TimeSpan? retryAfter) => new(null, limit, retryAfter);

    public void Dispose() => _slot?.Dispose();
}
