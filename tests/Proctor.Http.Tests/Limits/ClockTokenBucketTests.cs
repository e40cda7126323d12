using System.Threading.RateLimiting;
using Microsoft.Extensions.Time.Testing;
using Proctor.Http.Limits;

namespace Proctor.Http.Tests.Limits;

public sealed class ClockTokenBucketTests
{
    [Fact]
    public void AttemptAcquire_ASecondsWorthAtOnce_AdmitsThatManyThenRefusesWithTheWaitForOneToken()
    {
        var time = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket(10, time);

        var admitted = Enumerable.Range(0, 10).Count(_ => bucket.AttemptAcquire().IsAcquired);
        using var refused = bucket.AttemptAcquire();

        Assert.Equal(10, admitted);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.Equal(TimeSpan.FromMilliseconds(100), retryAfter);
    }

    [Theory]
    [InlineData(99, 0)]
    [InlineData(100, 1)]
    [InlineData(450, 4)]
    [InlineData(5_000, 10)]
    public void AttemptAcquire_AfterTimePasses_RefillsInProportionUpToOneSecondsWorth(int milliseconds, int expected)
    {
        var time = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket(10, time);
        while (bucket.AttemptAcquire().IsAcquired)
        {
        }

        time.Advance(TimeSpan.FromMilliseconds(milliseconds));

        Assert.Equal(expected, Enumerable.Range(0, 20).Count(_ => bucket.AttemptAcquire().IsAcquired));
    }

    [Fact]
    public void IdleDuration_IsNullUntilTheBucketIsFullAgainThenCountsFromThen()
    {
        var time = new FakeTimeProvider();
        using var bucket = new ClockTokenBucket(10, time);
        Assert.Equal(TimeSpan.Zero, bucket.IdleDuration);
        bucket.AttemptAcquire(5);

        time.Advance(TimeSpan.FromMilliseconds(400));
        Assert.Null(bucket.IdleDuration);
        time.Advance(TimeSpan.FromMilliseconds(700));

        Assert.Equal(TimeSpan.FromMilliseconds(600), bucket.IdleDuration);
    }
}
