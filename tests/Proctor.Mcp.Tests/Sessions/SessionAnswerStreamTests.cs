using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Sessions;
using Proctor.Mcp.Sessions.Replay;
using Proctor.Mcp.Tests.Sessions.Replay;

namespace Proctor.Mcp.Tests.Sessions;

/// <summary>A session-era POST's answer: plain JSON unless something precedes it, then a resumable stream.</summary>
public sealed class SessionAnswerStreamTests
{
    private static readonly SessionReplayLimits Roomy = new(100, 1 << 20);

    [Fact]
    public async Task Complete_NothingSentBefore_PlainReplyAndNothingKept()
    {
        var streams = new SessionStreams(Roomy);
        var client = new RecordingResponseChannel();
        var answer = new SessionAnswerStream(streams, client);

        Assert.False(await answer.CompleteAsync(JsonRpc.Result(1, new JsonObject()), CancellationToken.None));
        Assert.False(answer.Started);
        Assert.False(answer.Resumable);
        Assert.Empty(client.Events);
        Assert.Equal((0, 0L), streams.Held);
    }

    [Fact]
    public async Task Send_BeforeTheAnswer_PrimedResumableStreamCarryingBoth()
    {
        var streams = new SessionStreams(Roomy);
        var client = new RecordingResponseChannel();
        var answer = new SessionAnswerStream(streams, client);

        await answer.SendAsync(JsonRpc.Notification(McpMethods.Progress, new() { ["progress"] = 1 }), CancellationToken.None);
        var streamed = await answer.CompleteAsync(JsonRpc.Result(1, new JsonObject()), CancellationToken.None);

        Assert.True(streamed);
        Assert.True(answer.Resumable);
        Assert.True(client.Events.First().Data.IsEmpty);
        Assert.Equal(2, client.Data.Count);
        Assert.Equal(2, streams.Held.Events);
    }

    [Fact]
    public async Task Send_ConnectionAlreadyGone_NotResumableSoTheCallMayBeCancelled()
    {
        var streams = new SessionStreams(Roomy);
        var client = new RecordingResponseChannel();
        client.Drop();
        var answer = new SessionAnswerStream(streams, client);

        await answer.SendAsync(JsonRpc.Notification(McpMethods.Progress, new() { ["progress"] = 1 }), CancellationToken.None);

        Assert.True(answer.Started);
        Assert.False(answer.Resumable); // no id reached the client: it has nothing to resume with
    }

    [Fact]
    public async Task Abandon_CallCancelledMidStream_StreamEndsAndAResumedClientIsReleased()
    {
        var streams = new SessionStreams(Roomy);
        var first = new RecordingResponseChannel();
        var answer = new SessionAnswerStream(streams, first);
        await answer.SendAsync(JsonRpc.Notification(McpMethods.Progress, new() { ["progress"] = 1 }), CancellationToken.None);
        first.Drop();
        var second = new RecordingResponseChannel();
        var (_, live) = streams.Find(first.LastId);
        await live!.ResumeAsync(second, first.LastId);
        var released = live.Released(second);

        answer.Abandon();

        Assert.True(released.IsCompleted);
        Assert.True(live.Ended.IsCompleted);
    }
}
