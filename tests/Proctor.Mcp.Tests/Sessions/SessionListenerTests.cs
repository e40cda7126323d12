using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;
using Proctor.Mcp.Sessions.Replay;
using Proctor.Mcp.Tests.Sessions.Replay;

namespace Proctor.Mcp.Tests.Sessions;

/// <summary>GET streams and resumes: a Last-Event-ID is honoured only for what this session's own stream sent.</summary>
public sealed class SessionListenerTests
{
    private readonly FakeTimeProvider _time = new();

    private SessionListener Listener => new(_time, NullLogger.Instance);

    private static ClientSession Session(SessionReplayLimits? limits = null) =>
        new("s1", Route.Aggregate, "alice", "alice", "2025-11-25", new JsonObject(), null, DateTimeOffset.UnixEpoch, limits);

    private static async Task<string> IdOfAnEventAsync(ClientSession session)
    {
        var stream = session.Streams.Open(standalone: false);
        var client = new RecordingResponseChannel();
        await stream.StartAsync(client);
        return client.LastId;
    }

    [Fact]
    public async Task Listen_AnotherSessionsEventId_BadRequestAndNothingStreamed()
    {
        var mine = Session();
        var foreign = await IdOfAnEventAsync(Session());
        await IdOfAnEventAsync(mine);
        var client = new RecordingResponseChannel();

        var reply = await Listener.ListenAsync(mine, foreign, client);

        Assert.Equal(ReplyStatus.BadRequest, reply.Status);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, (int)reply.Body!["error"]!["code"]!);
        Assert.Contains("not an event id this session issued", (string)reply.Body["error"]!["message"]!, StringComparison.Ordinal);
        Assert.False(client.Started);
    }

    [Theory]
    [MemberData(nameof(EventIdsTests.Malformed), MemberType = typeof(EventIdsTests))]
    public async Task Listen_MalformedEventId_BadRequestQuotingAtMostAnIdsWorth(string lastEventId)
    {
        if (lastEventId.Length == 0)
        {
            return; // no header: a new stream, tested below
        }

        var client = new RecordingResponseChannel();

        var reply = await Listener.ListenAsync(Session(), lastEventId, client);

        Assert.Equal(ReplyStatus.BadRequest, reply.Status);
        Assert.InRange(((string)reply.Body!["error"]!["message"]!).Length, 1, 400);
        Assert.False(client.Started);
    }

    [Fact]
    public async Task Listen_PastTheReplayWindow_GoneNamingTheKeys()
    {
        var session = Session(new SessionReplayLimits(2, 1 << 20));
        var stream = session.Streams.Open(standalone: false);
        var first = new RecordingResponseChannel();
        await stream.StartAsync(first);
        first.Drop();
        for (var i = 0; i < 5; i++)
        {
            await stream.SendAsync("{}"u8.ToArray(), CancellationToken.None);
        }

        var client = new RecordingResponseChannel();
        var reply = await Listener.ListenAsync(session, first.LastId, client);

        Assert.Equal(ReplyStatus.Gone, reply.Status);
        Assert.Contains("gateway.maxReplayEventsPerSession", (string)reply.Body!["error"]!["message"]!, StringComparison.Ordinal);
        Assert.False(client.Started);
    }

    [Fact]
    public async Task Listen_WithoutLastEventId_StreamsTheSessionsMessagesUntilTheSessionCloses()
    {
        var session = Session();
        var client = new RecordingResponseChannel();
        Assert.True(session.Outbound.Writer.TryWrite(JsonRpc.Notification("notifications/tools/list_changed", null)));

        var listening = Listener.ListenAsync(session, "", client);
        await Eventually.True(() => client.Data.Count == 1, "the notification reached the stream");
        session.Close();
        var reply = await listening.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(reply.IsStreamed);
        Assert.Contains("list_changed", client.Data[0], StringComparison.Ordinal);
        Assert.NotNull(client.Events.First().Id); // primed: the client may resume it
    }

    [Fact]
    public async Task Listen_IdleStream_KeptAliveEvery15Seconds()
    {
        var session = Session();
        var client = new RecordingResponseChannel();

        var listening = Listener.ListenAsync(session, "", client);
        await Eventually.True(() => client.Started, "the stream started");
        for (var i = 0; i < 3; i++)
        {
            var before = client.KeepAlives;
            await Eventually.True(() => Quiet15Seconds(client.KeepAlives > before), "a keep-alive was written");
        }

        client.Drop();
        Assert.True((await listening.WaitAsync(TimeSpan.FromSeconds(10))).IsStreamed);
    }

    /// <summary>Moves the clock 15 s unless <paramref name="done"/>: the stream's next timer may not exist yet when a test first advances.</summary>
    private bool Quiet15Seconds(bool done)
    {
        if (!done)
        {
            _time.Advance(TimeSpan.FromSeconds(15));
        }

        return done;
    }

    [Fact]
    public async Task Listen_ResumingAFinishedCall_ReplaysTheAnswerAndEnds()
    {
        var session = Session();
        var stream = session.Streams.Open(standalone: false);
        var first = new RecordingResponseChannel();
        await stream.StartAsync(first);
        first.Drop();
        await stream.SendAsync("{\"progress\":1}"u8.ToArray(), CancellationToken.None);
        await stream.CompleteAsync("{\"result\":{}}"u8.ToArray());

        var client = new RecordingResponseChannel();
        var reply = await Listener.ListenAsync(session, first.LastId, client).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(reply.IsStreamed);
        Assert.Equal(["{\"progress\":1}", "{\"result\":{}}"], client.Data);
    }
}
