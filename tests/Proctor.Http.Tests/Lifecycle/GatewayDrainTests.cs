using Microsoft.Extensions.Time.Testing;
using Proctor.Http.Lifecycle;

namespace Proctor.Http.Tests.Lifecycle;

public sealed class GatewayDrainTests
{
    [Fact]
    public async Task WaitForIdle_CallsInFlight_ReturnsWhenTheLastLeaves()
    {
        using var drain = new GatewayDrain();
        Assert.True(drain.TryEnter());
        Assert.True(drain.TryEnter());
        drain.Begin();

        var waiting = drain.WaitForIdleAsync(TimeSpan.FromMinutes(1), TimeProvider.System);
        drain.Leave();
        Assert.False(waiting.IsCompleted);
        drain.Leave();

        Assert.Equal(0, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task WaitForIdle_ACallThatDoesNotEnd_ReturnsAtTheLimitWithTheCountLeft()
    {
        var time = new FakeTimeProvider();
        using var drain = new GatewayDrain();
        drain.TryEnter();
        drain.Begin();

        var waiting = drain.WaitForIdleAsync(TimeSpan.FromSeconds(10), time);
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void TryEnter_AfterBegin_RefusesNewRequestsButAdmitsMessagesOnASession()
    {
        using var drain = new GatewayDrain();
        drain.Begin();

        Assert.False(drain.TryEnter());
        Assert.True(drain.TryEnter(admitWhileDraining: true));
        Assert.Equal(1, drain.InFlight);
        Assert.True(drain.StreamsEnded.IsCancellationRequested);
        Assert.False(drain.CallsCancelled.IsCancellationRequested);
    }

    [Fact]
    public async Task WaitForIdle_NothingInFlight_ReturnsAtOnce()
    {
        using var drain = new GatewayDrain();
        drain.Begin();

        Assert.Equal(0, await drain.WaitForIdleAsync(TimeSpan.FromMinutes(1), new FakeTimeProvider()).WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
