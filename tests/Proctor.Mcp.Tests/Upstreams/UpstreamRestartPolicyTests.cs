using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams;

public sealed class UpstreamRestartPolicyTests
{
    [Theory]
    [InlineData(0, 1_000)]
    [InlineData(1, 1_000)]
    [InlineData(2, 2_000)]
    [InlineData(3, 4_000)]
    [InlineData(4, 8_000)]
    [InlineData(5, 16_000)]
    [InlineData(6, 30_000)]
    [InlineData(7, 30_000)]
    [InlineData(50, 30_000)]
    [InlineData(int.MaxValue, 30_000)]
    [InlineData(-1, 1_000)]
    public void Backoff_FailedAttempts_DoublesFromInitialUpToTheCap(int failedAttempts, int expectedMs)
    {
        var policy = new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), policy.Backoff(failedAttempts));
    }

    [Theory]
    [InlineData(1, 250)]
    [InlineData(3, 1_000)]
    [InlineData(4, 1_000)]
    public void Backoff_CapReachedBetweenDoublings_IsTheCap(int failedAttempts, int expectedMs)
    {
        var policy = new UpstreamRestartPolicy(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), policy.Backoff(failedAttempts));
    }

    [Fact]
    public void Backoff_InitialAboveCap_IsTheCap()
    {
        var policy = new UpstreamRestartPolicy(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMinutes(1), policy.Backoff(1));
    }
}
