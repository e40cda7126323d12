using Microsoft.Extensions.Time.Testing;
using Proctor.Http.ClientFaults;

namespace Proctor.Http.Tests.ClientFaults;

public sealed class LogThrottleTests
{
    [Fact]
    public void ShouldLog_AFloodOfOneKind_LogsOncePerWindowWithTheCountLeftUnlogged()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time, TimeSpan.FromMinutes(1));

        var first = Enumerable.Range(0, 1_000).Count(i => throttle.ShouldLog("slow request body", out _));
        time.Advance(TimeSpan.FromMinutes(1));
        var next = throttle.ShouldLog("slow request body", out var unlogged);

        Assert.Equal(1, first);
        Assert.True(next);
        Assert.Equal(999, unlogged);
    }

    [Fact]
    public void ShouldLog_OtherKinds_HaveTheirOwnWindows()
    {
        var throttle = new LogThrottle(new FakeTimeProvider(), TimeSpan.FromMinutes(1));
        throttle.ShouldLog("slow request body", out _);

        Assert.True(throttle.ShouldLog("client closed the connection", out _));
        Assert.False(throttle.ShouldLog("slow request body", out _));
    }
}
