using System.Text;
using Proctor.Mcp.Sessions.Replay;

namespace Proctor.Mcp.Tests.Sessions.Replay;

/// <summary>Streams that outlive their connections: what a dropped client missed arrives on its next one, exactly once.</summary>
public sealed class SessionStreamsTests
{
    private static readonly SessionReplayLimits Roomy = new(1_000, 1 << 20);

    private static ReadOnlyMemory<byte> Data(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Start_AttachedConnection_PrimedWithAnIdAndNoData()
    {
        var streams = new SessionStreams(Roomy);
        var client = new RecordingResponseChannel();
        var stream = streams.Open(standalone: false);

        Assert.True(await stream.StartAsync(client));
        await stream.SendAsync(Data("progress"), CancellationToken.None);

        var events = client.Events.ToArray();
        Assert.True(events[0].Data.IsEmpty);
        Assert.NotNull(events[0].Id);
        Assert.Equal(["progress"], client.Data);
        Assert.All(events, e => Assert.NotNull(e.Id));
        Assert.Equal(events.Length, events.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task Resume_AfterTheConnectionDropped_MissedEventsThenLiveOnesThenTheAnswer_EachOnce()
    {
        var streams = new SessionStreams(Roomy);
        var first = new RecordingResponseChannel();
        var stream = streams.Open(standalone: false);
        await stream.StartAsync(first);
        await stream.SendAsync(Data("p1"), CancellationToken.None);
        first.Drop();
        await stream.SendAsync(Data("p2"), CancellationToken.None);
        await stream.SendAsync(Data("p3"), CancellationToken.None);

        var second = new RecordingResponseChannel();
        var (lookup, live) = streams.Find(first.LastId);
        Assert.Same(stream, live);
        Assert.Equal(ReplayStatus.Found, await live!.ResumeAsync(second, first.LastId));
        await stream.SendAsync(Data("p4"), CancellationToken.None);
        await stream.CompleteAsync(Data("answer"));

        Assert.Equal(ReplayStatus.Found, lookup.Status);
        Assert.Equal(["p1"], first.Data);
        Assert.Equal(["p2", "p3", "p4", "answer"], second.Data);
        Assert.True(stream.Ended.IsCompleted);
        Assert.False(stream.IsAttached(second));
    }

    [Fact]
    public async Task Resume_RacingLiveSends_EveryEventArrivesOnceAndInOrder()
    {
        for (var round = 0; round < 20; round++)
        {
            var streams = new SessionStreams(Roomy);
            var first = new RecordingResponseChannel();
            var stream = streams.Open(standalone: false);
            await stream.StartAsync(first);
            await stream.SendAsync(Data("e0"), CancellationToken.None);
            first.Drop();
            var sender = Task.Run(async () =>
            {
                for (var i = 1; i <= 200; i++)
                {
                    await stream.SendAsync(Data($"e{i}"), CancellationToken.None);
                }
            });
            var second = new RecordingResponseChannel();
            await Task.Yield();
            var (_, live) = streams.Find(first.LastId);
            Assert.Equal(ReplayStatus.Found, await live!.ResumeAsync(second, first.LastId));
            await sender;

            Assert.Equal(Enumerable.Range(1, 200).Select(i => $"e{i}"), second.Data);
        }
    }

    [Fact]
    public async Task Find_StreamWhoseAnswerWasSent_ReplaysFromTheLogWithNothingLive()
    {
        var streams = new SessionStreams(Roomy);
        var first = new RecordingResponseChannel();
        var stream = streams.Open(standalone: false);
        await stream.StartAsync(first);
        var seen = first.LastId;
        first.Drop();
        await stream.SendAsync(Data("p1"), CancellationToken.None);
        await stream.CompleteAsync(Data("answer"));

        var (lookup, live) = streams.Find(seen);

        Assert.Null(live);
        Assert.Equal(ReplayStatus.Found, lookup.Status);
        Assert.Equal(["p1", "answer"], lookup.Missed.Select(e => Encoding.UTF8.GetString(e.Data.Span)));
    }

    [Fact]
    public async Task Find_GetStreamWhoseConnectionEnded_RevivedWithWhatItMissed()
    {
        var streams = new SessionStreams(Roomy);
        var first = new RecordingResponseChannel();
        var stream = streams.Open(standalone: true);
        await stream.StartAsync(first);
        var seen = first.LastId;
        first.Drop();
        await stream.SendAsync(Data("unsolicited"), CancellationToken.None);
        stream.Leave(first);

        var second = new RecordingResponseChannel();
        var (_, revived) = streams.Find(seen);
        Assert.NotNull(revived);
        Assert.True(revived.Standalone);
        Assert.Equal(ReplayStatus.Found, await revived.ResumeAsync(second, seen));
        await revived.SendAsync(Data("later"), CancellationToken.None);

        Assert.Equal(["unsolicited", "later"], second.Data);
    }

    [Fact]
    public async Task Resume_WithAnotherStreamsId_RefusedAndNothingWritten()
    {
        var streams = new SessionStreams(Roomy);
        var one = streams.Open(standalone: false);
        var two = streams.Open(standalone: false);
        var client = new RecordingResponseChannel();
        await one.StartAsync(new RecordingResponseChannel());
        var other = new RecordingResponseChannel();
        await two.StartAsync(other);

        Assert.Equal(ReplayStatus.NotIssued, await one.ResumeAsync(client, other.LastId));
        Assert.Empty(client.Events);
        Assert.False(client.Started);
    }

    [Fact]
    public async Task CloseAll_AttachedConnectionReleasedAndLaterResumesGone()
    {
        var streams = new SessionStreams(Roomy);
        var client = new RecordingResponseChannel();
        var stream = streams.Open(standalone: false);
        await stream.StartAsync(client);
        var released = stream.Released(client);

        streams.CloseAll();

        Assert.True(released.IsCompleted);
        Assert.True(stream.Ended.IsCompleted);
        Assert.Equal(ReplayStatus.Gone, streams.Find(client.LastId).Lookup.Status);
        Assert.True(streams.Open(standalone: false).Ended.IsCompleted); // nothing opens on a closed session
    }

    [Fact]
    public async Task Resume_SecondConnectionTakesOver_FirstIsReleased()
    {
        var streams = new SessionStreams(Roomy);
        var first = new RecordingResponseChannel();
        var stream = streams.Open(standalone: false);
        await stream.StartAsync(first);
        var released = stream.Released(first);

        // The client resumed on a new connection while the old one still looked alive.
        var second = new RecordingResponseChannel();
        await stream.ResumeAsync(second, first.LastId);
        await stream.SendAsync(Data("p1"), CancellationToken.None);

        Assert.True(released.IsCompleted);
        Assert.Empty(first.Data);
        Assert.Equal(["p1"], second.Data);
    }
}
