using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Tests.Upstreams.Supervision;

/// <summary>
/// Backoff, early attempts and liveness, on a clock the test moves (no test waits for a real timer): the
/// supervisor as <see cref="SessionUpstream"/> uses it, over in-memory links.
/// </summary>
public sealed class UpstreamSupervisorTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 7, 28, 9, 0, 0, TimeSpan.Zero));

    private SessionUpstream New(PipeLinkFactory links, UpstreamRestartPolicy policy) =>
        new("bank", links, policy, UpstreamLimits.Default, Json.Object("{'name':'proctor','version':'0.1.0'}"), new UpstreamServices(_time, new UnmaskedLogLines()), NullLogger.Instance);

    /// <summary>Moves the clock in small steps, letting the subject run between them, until the condition holds; returns the time it took.</summary>
    private async Task<TimeSpan> AdvanceUntilAsync(Func<bool> condition, TimeSpan limit, string what)
    {
        var start = _time.GetUtcNow();
        while (!condition())
        {
            if (_time.GetUtcNow() - start > limit)
            {
                Assert.Fail($"{what}: not within {limit.TotalSeconds} s of the test's clock");
            }

            _time.Advance(Step);
            await Task.Delay(3); // real time: lets the continuations of the timers that fired run
        }

        return _time.GetUtcNow() - start;
    }

    /// <summary>
    /// Moves the clock until the next open and returns how long after the upstream went down it came, both
    /// by the subject's own clock readings, so that the test's steps and the machine's load do not count.
    /// </summary>
    private async Task<TimeSpan> WaitBeforeNextOpenAsync(SessionUpstream upstream, PipeLinkFactory links, TimeSpan limit)
    {
        var opens = links.Opens;
        await Eventually.True(() => upstream.Health.State == UpstreamState.Down, "the upstream is down");
        await Task.Delay(50); // real time, not a timer: lets the supervisor start its backoff before the clock moves
        await AdvanceUntilAsync(() => links.Opens > opens, limit, "the next open");
        var health = upstream.Health;
        Assert.Equal(UpstreamState.Down, health.State); // its handshake is not answered yet
        return links.OpenedAt[opens] - health.Since;
    }

    /// <summary>A handshake answered by the test side while the clock stands still.</summary>
    private static async Task<PipeLink> AcceptNextAsync(PipeLinkFactory links)
    {
        var link = await links.NextLinkAsync();
        await link.AcceptHandshakeAsync();
        return link;
    }

    [Fact]
    public async Task CrashLoopEnds_ACallerArrives_NextAttemptAfterInitialBackoffNotTheGrownOne()
    {
        var links = new PipeLinkFactory { Clock = _time };
        for (var i = 0; i < 7; i++)
        {
            links.FailNextOpen("connection refused");
        }

        await using var upstream = New(links, new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));
        await upstream.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => links.Opens == 7 && upstream.Health.State == UpstreamState.Down, TimeSpan.FromMinutes(2), "seven failed opens");

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => upstream.CallAsync(Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/list'}"), new RecordingSink(), CancellationToken.None));
        var waited = await WaitBeforeNextOpenAsync(upstream, links, TimeSpan.FromSeconds(40));

        Assert.True(waited <= TimeSpan.FromSeconds(1.5), $"the next attempt came {waited.TotalSeconds} s after the caller asked; the backoff had grown to 30 s");
    }

    [Fact]
    public async Task CrashLoop_NobodyCalls_BackoffGrowsToTheMaximum()
    {
        var links = new PipeLinkFactory { Clock = _time };
        for (var i = 0; i < 7; i++)
        {
            links.FailNextOpen("connection refused");
        }

        await using var upstream = New(links, new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10)));
        await upstream.StartAsync(CancellationToken.None);
        await AdvanceUntilAsync(() => links.Opens == 7 && upstream.Health.State == UpstreamState.Down, TimeSpan.FromMinutes(2), "seven failed opens");

        var waited = await WaitBeforeNextOpenAsync(upstream, links, TimeSpan.FromSeconds(40));

        Assert.InRange(waited, TimeSpan.FromSeconds(29), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task LinksThatDieRightAfterTheHandshake_AreACrashLoop_TheWaitKeepsGrowing()
    {
        var links = new PipeLinkFactory { Clock = _time };
        await using var upstream = New(links, new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)));
        _ = upstream.StartAsync(CancellationToken.None);
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var link = await AcceptNextAsync(links);
            await AdvanceUntilAsync(() => upstream.Health.State == UpstreamState.Ready, TimeSpan.FromSeconds(5), "ready");
            link.Close("the process exited with code 1");
            waits.Add(await WaitBeforeNextOpenAsync(upstream, links, TimeSpan.FromSeconds(20)));
        }

        Assert.True(waits[^1] >= TimeSpan.FromSeconds(7), $"waits between restarts: {string.Join(", ", waits.Select(w => w.TotalSeconds))} s");
        Assert.True(waits[0] <= TimeSpan.FromSeconds(1.5), $"waits between restarts: {string.Join(", ", waits.Select(w => w.TotalSeconds))} s");
    }

    [Fact]
    public async Task LinkHealthyForMaxBackoff_ThenDies_NextAttemptAfterInitialBackoffAgain()
    {
        var links = new PipeLinkFactory { Clock = _time };
        for (var i = 0; i < 4; i++)
        {
            links.FailNextOpen("connection refused");
        }

        await using var upstream = New(links, new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)));
        _ = upstream.StartAsync(CancellationToken.None);
        var accepting = AcceptNextAsync(links);
        await AdvanceUntilAsync(() => accepting.IsCompleted, TimeSpan.FromMinutes(1), "a link after four failures");
        var link = await accepting;
        await AdvanceUntilAsync(() => upstream.Health.State == UpstreamState.Ready, TimeSpan.FromSeconds(5), "ready");

        _time.Advance(TimeSpan.FromSeconds(9));
        link.Close("the process exited with code 1");
        var waited = await WaitBeforeNextOpenAsync(upstream, links, TimeSpan.FromSeconds(20));

        Assert.True(waited <= TimeSpan.FromSeconds(1.5), $"waited {waited.TotalSeconds} s after a link that was healthy for longer than maxBackoff");
    }

    [Fact]
    public async Task QuietUpstream_PingUnanswered_StalledAndCallsRefusedUntilItSpeaksAgain()
    {
        var links = new PipeLinkFactory();
        var policy = new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)) { PingInterval = TimeSpan.FromSeconds(5), StallAfter = TimeSpan.FromSeconds(2) };
        await using var upstream = New(links, policy);
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await AcceptNextAsync(links);
        await starting.WaitAsync(TimeSpan.FromSeconds(10));

        var pinging = link.ReadAsync(McpMethods.Ping);
        await AdvanceUntilAsync(() => pinging.IsCompleted, TimeSpan.FromSeconds(10), "a ping");
        var ping = await pinging;
        await AdvanceUntilAsync(() => upstream.Health.State == UpstreamState.Stalled, TimeSpan.FromSeconds(5), "stalled");
        var stalled = upstream.Health;
        var refused = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => upstream.CallAsync(Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/list'}"), new RecordingSink(), CancellationToken.None));
        link.Send(JsonRpc.Result(ping["id"], new JsonObject()));
        await AdvanceUntilAsync(() => upstream.Health.State == UpstreamState.Ready, TimeSpan.FromSeconds(1), "ready again");

        Assert.Equal(UpstreamReasonCodes.Stalled, stalled.ReasonCode);
        Assert.Contains("did not answer a ping", stalled.Reason);
        Assert.Contains("did not answer a ping", refused.Reason);
        Assert.Equal(0, upstream.Health.Restarts);
    }

    [Fact]
    public async Task BusyUpstream_NoPingWhileItKeepsTalking()
    {
        var links = new PipeLinkFactory();
        var policy = new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)) { PingInterval = TimeSpan.FromSeconds(5), StallAfter = TimeSpan.FromSeconds(2) };
        await using var upstream = New(links, policy);
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await AcceptNextAsync(links);
        await starting.WaitAsync(TimeSpan.FromSeconds(10));

        for (var second = 0; second < 20; second++)
        {
            link.Send("{'jsonrpc':'2.0','method':'notifications/tools/list_changed'}");
            await Task.Delay(3);
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(3);
        }

        Assert.DoesNotContain(link.Drain(), m => JsonRpc.Method(m) == McpMethods.Ping);
        Assert.Equal(UpstreamState.Ready, upstream.Health.State);
    }

    [Fact]
    public async Task LinkCannotWrite_ForStallAfter_StalledWithHowLong_ThenReadyOnceItWritesAgain()
    {
        var links = new PipeLinkFactory();
        var policy = new UpstreamRestartPolicy(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(10)) { StallAfter = TimeSpan.FromSeconds(3) };
        await using var upstream = New(links, policy);
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await AcceptNextAsync(links);
        await starting.WaitAsync(TimeSpan.FromSeconds(10));

        var since = _time.GetUtcNow();
        link.Blocked = since;
        _time.Advance(TimeSpan.FromSeconds(2));
        var before = upstream.Health.State;
        _time.Advance(TimeSpan.FromSeconds(2));
        var stalled = upstream.Health;
        link.Blocked = null;

        Assert.Equal(UpstreamState.Ready, before);
        Assert.Equal(UpstreamState.Stalled, stalled.State);
        Assert.Equal(since, stalled.Since);
        Assert.Contains("4 s", stalled.Reason);
        Assert.Equal(UpstreamState.Ready, upstream.Health.State);
    }
}
