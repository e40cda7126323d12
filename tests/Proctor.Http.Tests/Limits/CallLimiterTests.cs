using Microsoft.Extensions.Time.Testing;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Http.Limits;

namespace Proctor.Http.Tests.Limits;

/// <summary>One identity exhausting its limits never blocks another; limits release when calls end or time passes.</summary>
public sealed class CallLimiterTests
{
    private static readonly string[] Others = ["https://login.example.com|alice", "https://login.example.com|bob", "proctor:agent-keys|batch-job", "anonymous@127.0.0.2", "anonymous@fd00::/64"];

    private static CallLimiter Limiter(FakeTimeProvider time, int concurrent = 4, int perSecond = 100) =>
        new(new GatewayLimits(10_000, 100, concurrent, perSecond), time);

    [Fact]
    public void Admit_IdentityAtItsConcurrentLimit_IsRefusedAndEveryOtherIdentityIsAdmitted()
    {
        using var limiter = Limiter(new FakeTimeProvider());
        var held = Enumerable.Range(0, 4).Select(_ => limiter.Admit("greedy", holdsSlot: true)).ToList();

        var refused = limiter.Admit("greedy", holdsSlot: true);

        Assert.All(held, lease => Assert.Null(lease.Refused));
        Assert.Equal(CallLimit.ConcurrentCalls, refused.Refused);
        foreach (var other in Others)
        {
            using var lease = limiter.Admit(other, holdsSlot: true);
            Assert.Null(lease.Refused);
        }
    }

    [Fact]
    public void Admit_ACallEnds_ItsSlotIsFreeForTheNext()
    {
        using var limiter = Limiter(new FakeTimeProvider(), concurrent: 1);
        var first = limiter.Admit("greedy", holdsSlot: true);
        Assert.Equal(CallLimit.ConcurrentCalls, limiter.Admit("greedy", holdsSlot: true).Refused);

        first.Dispose();

        using var next = limiter.Admit("greedy", holdsSlot: true);
        Assert.Null(next.Refused);
    }

    [Fact]
    public void Admit_IdentityOverItsRate_IsRefusedWithRetryAfterWhileOthersAreAdmittedAndAgainOnceTimePasses()
    {
        var time = new FakeTimeProvider();
        using var limiter = Limiter(time, concurrent: 1_000, perSecond: 5);
        for (var i = 0; i < 5; i++)
        {
            limiter.Admit("greedy", holdsSlot: false).Dispose();
        }

        var refused = limiter.Admit("greedy", holdsSlot: false);

        Assert.Equal(CallLimit.CallRate, refused.Refused);
        Assert.Equal(TimeSpan.FromMilliseconds(200), refused.RetryAfter);
        Assert.All(Others, other => Assert.Null(limiter.Admit(other, holdsSlot: false).Refused));
        time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Null(limiter.Admit("greedy", holdsSlot: false).Refused);
    }

    [Fact]
    public void Admit_RefusedByTheRate_DoesNotKeepTheSlotItTook()
    {
        using var limiter = Limiter(new FakeTimeProvider(), concurrent: 1, perSecond: 1);
        limiter.Admit("greedy", holdsSlot: false).Dispose();

        Assert.Equal(CallLimit.CallRate, limiter.Admit("greedy", holdsSlot: true).Refused);

        Assert.Equal(CallLimit.CallRate, limiter.Admit("greedy", holdsSlot: true).Refused); // not ConcurrentCalls: the slot went back
    }

    [Fact]
    public void Admit_RefusedForConcurrency_SpendsNoRateToken()
    {
        var time = new FakeTimeProvider();
        using var limiter = Limiter(time, concurrent: 1, perSecond: 2);
        using var held = limiter.Admit("greedy", holdsSlot: true);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(CallLimit.ConcurrentCalls, limiter.Admit("greedy", holdsSlot: true).Refused);
        }

        Assert.Null(limiter.Admit("greedy", holdsSlot: false).Refused); // the second token of the second is still there
    }

    [Fact]
    public void Admit_StreamsHoldNoSlot_SoTheyNeverCrowdOutCalls()
    {
        using var limiter = Limiter(new FakeTimeProvider(), concurrent: 2);
        var streams = Enumerable.Range(0, 10).Select(_ => limiter.Admit("listener", holdsSlot: false)).ToList();

        using var call = limiter.Admit("listener", holdsSlot: true);

        Assert.All(streams, lease => Assert.Null(lease.Refused));
        Assert.Null(call.Refused);
    }
}
