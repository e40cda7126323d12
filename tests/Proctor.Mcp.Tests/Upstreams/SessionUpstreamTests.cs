using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;
using Proctor.Mcp.Upstreams.Supervision;

namespace Proctor.Mcp.Tests.Upstreams;

public sealed class SessionUpstreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly UpstreamRestartPolicy FastRestart = new(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(40), TimeSpan.FromSeconds(10));

    private static SessionUpstream New(PipeLinkFactory links, UpstreamRestartPolicy? restart = null) =>
        new("bank", links, restart ?? FastRestart, UpstreamLimits.Default, Json.Object("{'name':'proctor','version':'0.1.0'}"), new UpstreamServices(TimeProvider.System, new UnmaskedLogLines()), NullLogger.Instance);

    /// <summary>An upstream past its handshake on its first link.</summary>
    private sealed class Connected : IAsyncDisposable
    {
        public required SessionUpstream Upstream { get; init; }

        public required PipeLinkFactory Links { get; init; }

        public required PipeLink Link { get; init; }

        public static async Task<Connected> StartAsync()
        {
            var links = new PipeLinkFactory();
            var upstream = New(links);
            var starting = upstream.StartAsync(CancellationToken.None);
            var link = await links.NextLinkAsync();
            await link.AcceptHandshakeAsync();
            await starting.WaitAsync(Patience);
            Assert.Equal(UpstreamState.Ready, upstream.Health.State);
            return new Connected { Upstream = upstream, Links = links, Link = link };
        }

        public Task<JsonObject> Call(string json, IUpstreamCallSink? sink = null, CancellationToken cancellationToken = default) =>
            Upstream.CallAsync(Json.Object(json), sink ?? new RecordingSink(), cancellationToken);

        public ValueTask DisposeAsync() => Upstream.DisposeAsync();
    }

    private static JsonObject Answer(JsonObject sent, string result) => JsonRpc.Result(sent["id"], Json.Object(result));

    [Fact]
    public async Task Start_Handshake_SendsInitializeThenInitializedAfterTheAnswer()
    {
        var links = new PipeLinkFactory();
        await using var upstream = New(links);
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await links.NextLinkAsync();

        var initialize = await link.ReadAsync();
        Assert.Equal(McpMethods.Initialize, JsonRpc.Method(initialize));
        Assert.True(JsonRpc.IsValidId(initialize["id"]));
        Json.Equal(
            "{'protocolVersion':'2025-11-25','capabilities':{'roots':{'listChanged':true},'sampling':{},'elicitation':{'form':{},'url':{}}},'clientInfo':{'name':'proctor','version':'0.1.0'}}",
            initialize["params"]);
        Assert.True(link.NothingSent, "notifications/initialized must wait for the initialize result");
        Assert.Equal(UpstreamState.Starting, upstream.Health.State);

        link.Send(JsonRpc.Result(initialize["id"], Json.Object("{'protocolVersion':'2025-06-18','capabilities':{'tools':{}},'serverInfo':{'name':'bank-server','version':'2.0'},'instructions':'Amounts in cents.'}")));
        var initialized = await link.ReadAsync();
        await starting.WaitAsync(Patience);

        Json.Equal("{'jsonrpc':'2.0','method':'notifications/initialized'}", initialized);
        Assert.Equal(UpstreamState.Ready, upstream.Health.State);
        Assert.Equal("2025-06-18", upstream.Description!.ProtocolVersion);
        Assert.Equal("2025-06-18", link.NegotiatedVersion);
        Assert.Equal("bank-server", (string?)upstream.Description.ServerInfo!["name"]);
        Assert.Equal("Amounts in cents.", upstream.Description.Instructions);
        Assert.True(upstream.Description.Has("tools"));
    }

    [Fact]
    public async Task Call_BeforeHandshake_ThrowsUpstreamUnavailable()
    {
        var links = new PipeLinkFactory();
        await using var upstream = New(links);
        _ = upstream.StartAsync(CancellationToken.None);
        await links.NextLinkAsync();

        var error = await Assert.ThrowsAsync<UpstreamUnavailableException>(
            () => upstream.CallAsync(Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/list'}"), new RecordingSink(), CancellationToken.None));
        Assert.Equal("bank", error.Upstream);
    }

    [Fact]
    public async Task Call_ClientId_IsRewrittenUpstreamAndRestoredInTheResponse()
    {
        await using var s = await Connected.StartAsync();
        var request = Json.Object("{'jsonrpc':'2.0','id':'client-7','method':'tools/call','params':{'name':'search','arguments':{'q':'x'},'x-vendor':{'keep':true}}}");

        var call = s.Upstream.CallAsync(request, new RecordingSink(), CancellationToken.None);
        var sent = await s.Link.ReadAsync();
        s.Link.Send(Answer(sent, "{'content':[{'type':'text','text':'found'}],'x-extra':1}"));
        var response = await call.WaitAsync(Patience);

        Assert.Equal(JsonValueKind.Number, sent["id"]!.GetValueKind());
        Json.Equal(request["params"], sent["params"]);
        Assert.Equal("tools/call", JsonRpc.Method(sent));
        Json.Equal("{'jsonrpc':'2.0','id':'client-7','result':{'content':[{'type':'text','text':'found'}],'x-extra':1}}", response);
        Assert.Equal("client-7", (string?)request["id"]);
    }

    [Fact]
    public async Task Call_SameIdFromTwoClients_DistinctUpstreamIdsAndEachGetsItsOwnAnswer()
    {
        await using var s = await Connected.StartAsync();

        var first = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'a'}}");
        var sentFirst = await s.Link.ReadAsync();
        var second = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'b'}}");
        var sentSecond = await s.Link.ReadAsync();
        s.Link.Send(Answer(sentSecond, "{'n':'b'}"));
        s.Link.Send(Answer(sentFirst, "{'n':'a'}"));

        Assert.NotEqual(sentFirst["id"]!.ToJsonString(), sentSecond["id"]!.ToJsonString());
        Json.Equal("{'jsonrpc':'2.0','id':1,'result':{'n':'a'}}", await first.WaitAsync(Patience));
        Json.Equal("{'jsonrpc':'2.0','id':1,'result':{'n':'b'}}", await second.WaitAsync(Patience));
    }

    [Theory]
    [InlineData("'tok-1'")]
    [InlineData("5")]
    public async Task Call_ProgressToken_IsNamespacedUpstreamAndRestoredForTheCaller(string token)
    {
        await using var s = await Connected.StartAsync();
        var sink = new RecordingSink();
        var request = Json.Object($"{{'jsonrpc':'2.0','id':3,'method':'tools/call','params':{{'name':'slow','_meta':{{'progressToken':{token}}}}}}}");

        var call = s.Upstream.CallAsync(request, sink, CancellationToken.None);
        var sent = await s.Link.ReadAsync();
        var upstreamToken = sent["params"]!["_meta"]!["progressToken"]!;
        s.Link.Send(JsonRpc.Notification(McpMethods.Progress, new JsonObject { ["progressToken"] = upstreamToken.DeepClone(), ["progress"] = 1, ["total"] = 2 }));
        s.Link.Send(Answer(sent, "{}"));
        await call.WaitAsync(Patience);

        Assert.Equal($"proctor-{sent["id"]}", (string?)upstreamToken);
        var progress = Assert.Single(sink.Notifications);
        Json.Equal($"{{'progressToken':{token},'progress':1,'total':2}}", progress["params"]);
        Json.Equal(Json.Object($"{{'t':{token}}}")["t"], request["params"]!["_meta"]!["progressToken"]);
    }

    [Fact]
    public async Task Call_ProgressForAnotherCall_ReachesOnlyThatCallsSink()
    {
        await using var s = await Connected.StartAsync();
        var sinkA = new RecordingSink();
        var sinkB = new RecordingSink();

        var a = s.Call("{'jsonrpc':'2.0','id':'a','method':'tools/call','params':{'name':'x','_meta':{'progressToken':'p'}}}", sinkA);
        var sentA = await s.Link.ReadAsync();
        var b = s.Call("{'jsonrpc':'2.0','id':'b','method':'tools/call','params':{'name':'x','_meta':{'progressToken':'p'}}}", sinkB);
        var sentB = await s.Link.ReadAsync();
        s.Link.Send(JsonRpc.Notification(McpMethods.Progress, new JsonObject { ["progressToken"] = sentB["params"]!["_meta"]!["progressToken"]!.DeepClone(), ["progress"] = 7 }));
        s.Link.Send(Answer(sentB, "{}"));
        s.Link.Send(Answer(sentA, "{}"));
        await Task.WhenAll(a, b).WaitAsync(Patience);

        Assert.Empty(sinkA.Notifications);
        Assert.Equal(7, (int)Assert.Single(sinkB.Notifications)["params"]!["progress"]!);
    }

    [Fact]
    public async Task Call_NotificationsBeforeTheResponse_AreDeliveredToTheSinkFirst()
    {
        await using var s = await Connected.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new RecordingSink { BeforeNotification = _ => new ValueTask(gate.Task) };

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x','_meta':{'progressToken':'p'}}}", sink);
        var sent = await s.Link.ReadAsync();
        s.Link.Send(JsonRpc.Notification(McpMethods.Progress, new JsonObject { ["progressToken"] = sent["params"]!["_meta"]!["progressToken"]!.DeepClone(), ["progress"] = 1 }));
        s.Link.Send(JsonRpc.Notification(McpMethods.Message, new JsonObject { ["level"] = "info", ["data"] = "half way" }), relatedRequestId: (long)sent["id"]!);
        s.Link.Send(Answer(sent, "{}"));
        await Task.Delay(200);
        var completedWhileSinkBusy = call.IsCompleted;
        gate.SetResult();
        await call.WaitAsync(Patience);
        sink.Trace.Enqueue("response");

        Assert.False(completedWhileSinkBusy, "the response must not overtake notifications the sink has not taken yet");
        Assert.Equal([McpMethods.Progress, McpMethods.Message, "response"], sink.Trace);
    }

    [Fact]
    public async Task Call_ProgressFloodWhileTheClientIsSlow_TheClientGetsTheLatestProgressNotEveryOne()
    {
        await using var s = await Connected.StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new RecordingSink { BeforeNotification = _ => new ValueTask(gate.Task) };

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x','_meta':{'progressToken':'p'}}}", sink);
        var sent = await s.Link.ReadAsync();
        var token = sent["params"]!["_meta"]!["progressToken"]!;
        for (var i = 1; i <= 10_000; i++)
        {
            s.Link.Send(JsonRpc.Notification(McpMethods.Progress, new JsonObject { ["progressToken"] = token.DeepClone(), ["progress"] = i }));
        }

        s.Link.Send(Answer(sent, "{}"));
        await Eventually.True(() => s.Link.Undelivered == 0, "the gateway took every message while the client was stuck");
        gate.SetResult();
        await call.WaitAsync(Patience);

        // The one the client was stuck on, the inbox's worth (UpstreamLimits.DefaultMaxQueuedMessages), and the latest.
        var delivered = sink.Notifications.Select(n => (int)n["params"]!["progress"]!).ToList();
        Assert.InRange(delivered.Count, 2, UpstreamLimits.DefaultMaxQueuedMessages + 2);
        Assert.Equal(delivered.Order(), delivered);
        Assert.Equal(10_000, delivered[^1]);
    }

    [Fact]
    public async Task Call_NotificationRelatedToTheCall_IsNotRaisedAsUnsolicited()
    {
        await using var s = await Connected.StartAsync();
        var unsolicited = new ConcurrentQueue<JsonObject>();
        s.Upstream.UnsolicitedNotification += (_, n) => unsolicited.Enqueue(n);
        var sink = new RecordingSink();

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", sink);
        var sent = await s.Link.ReadAsync();
        s.Link.Send(JsonRpc.Notification(McpMethods.Message, new JsonObject { ["level"] = "info", ["data"] = "for this call" }), relatedRequestId: (long)sent["id"]!);
        s.Link.Send(Answer(sent, "{}"));
        await call.WaitAsync(Patience);

        Assert.Equal("for this call", (string?)Assert.Single(sink.Notifications)["params"]!["data"]);
        Assert.Empty(unsolicited);
    }

    [Theory]
    [InlineData("'srv-1'")]
    [InlineData("99")]
    public async Task ServerRequest_DuringCall_IsAskedThroughTheSinkAndAnsweredWithTheUpstreamsId(string serverId)
    {
        await using var s = await Connected.StartAsync();
        var sink = new RecordingSink(_ => Task.FromResult(JsonRpc.Result("client-side-id", Json.Object("{'role':'assistant','content':{'type':'text','text':'yes'},'model':'m'}"))));

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", sink);
        var sent = await s.Link.ReadAsync();
        s.Link.Send($"{{'jsonrpc':'2.0','id':{serverId},'method':'sampling/createMessage','params':{{'messages':[],'maxTokens':5}}}}");
        var answer = await s.Link.ReadAsync();
        s.Link.Send(Answer(sent, "{}"));
        await call.WaitAsync(Patience);

        Json.Equal($"{{'jsonrpc':'2.0','id':{serverId},'result':{{'role':'assistant','content':{{'type':'text','text':'yes'}},'model':'m'}}}}", answer);
        var asked = Assert.Single(sink.ServerRequests);
        Assert.Equal("sampling/createMessage", JsonRpc.Method(asked));
        Json.Equal("{'messages':[],'maxTokens':5}", asked["params"]);
    }

    [Fact]
    public async Task ServerRequest_SinkFails_UpstreamGetsAnErrorWithItsId()
    {
        await using var s = await Connected.StartAsync();
        var sink = new RecordingSink(_ => throw new InvalidOperationException("client stream closed"));

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", sink);
        var sent = await s.Link.ReadAsync();
        s.Link.Send("{'jsonrpc':'2.0','id':'srv-2','method':'elicitation/create','params':{}}");
        var answer = await s.Link.ReadAsync();
        s.Link.Send(Answer(sent, "{}"));
        await call.WaitAsync(Patience);

        Assert.Equal("srv-2", (string?)answer["id"]);
        Assert.Equal(JsonRpcErrorCodes.InternalError, (int)answer["error"]!["code"]!);
    }

    [Fact]
    public async Task ServerRequest_UpstreamCancelsIt_ClientSideIsCancelledAndNoAnswerIsSent()
    {
        await using var s = await Connected.StartAsync();
        var clientSideCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancellingSink = new CancellationObservingSink(new RecordingSink(), clientSideCancelled);

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", cancellingSink);
        var sent = await s.Link.ReadAsync();
        s.Link.Send("{'jsonrpc':'2.0','id':'srv-9','method':'elicitation/create','params':{}}");
        await cancellingSink.Asked.Task.WaitAsync(Patience);
        s.Link.Send("{'jsonrpc':'2.0','method':'notifications/cancelled','params':{'requestId':'srv-9','reason':'no longer needed'}}");
        await clientSideCancelled.Task.WaitAsync(Patience);
        s.Link.Send(Answer(sent, "{}"));
        await call.WaitAsync(Patience);

        Assert.DoesNotContain(s.Link.Drain(), m => (string?)m["id"] == "srv-9");
    }

    /// <summary>Completes <see cref="Asked"/> when asked, then waits for the gateway to cancel the question.</summary>
    private sealed class CancellationObservingSink(RecordingSink inner, TaskCompletionSource cancelled) : IUpstreamCallSink
    {
        public TaskCompletionSource Asked { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public JsonObject ClientCapabilities => inner.ClientCapabilities;

        public ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken) => inner.OnNotificationAsync(notification, cancellationToken);

        public async Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken)
        {
            Asked.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            finally
            {
                cancelled.TrySetResult();
            }

            return JsonRpc.Result(null, new JsonObject());
        }
    }

    [Fact]
    public async Task ServerRequest_UnrelatedWhileCallsOfTwoCallersRun_IsRefusedAndShownToNeither()
    {
        await using var s = await Connected.StartAsync();
        var alice = new RecordingSink { CallerKey = "https://idp|alice" };
        var bob = new RecordingSink { CallerKey = "https://idp|bob" };

        var first = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", alice);
        var sentFirst = await s.Link.ReadAsync();
        var second = s.Call("{'jsonrpc':'2.0','id':2,'method':'tools/call','params':{'name':'y'}}", bob);
        var sentSecond = await s.Link.ReadAsync();
        s.Link.Send("{'jsonrpc':'2.0','id':'srv-7','method':'elicitation/create','params':{'message':'secret question'}}");
        var answer = await s.Link.ReadAsync();
        s.Link.Send(Answer(sentFirst, "{}"));
        s.Link.Send(Answer(sentSecond, "{}"));
        await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.Equal("srv-7", (string?)answer["id"]);
        Assert.NotNull(answer["error"]);
        Assert.Empty(alice.ServerRequests);
        Assert.Empty(bob.ServerRequests);
    }

    [Fact]
    public async Task ServerRequest_UnrelatedWhileOneCallersCallsRun_GoesToTheLatest()
    {
        await using var s = await Connected.StartAsync();
        var earlier = new RecordingSink { CallerKey = "https://idp|alice" };
        var latest = new RecordingSink(_ => Task.FromResult(JsonRpc.Result(null, Json.Object("{'action':'decline'}")))) { CallerKey = "https://idp|alice" };

        var first = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", earlier);
        var sentFirst = await s.Link.ReadAsync();
        var second = s.Call("{'jsonrpc':'2.0','id':2,'method':'tools/call','params':{'name':'y'}}", latest);
        var sentSecond = await s.Link.ReadAsync();
        s.Link.Send("{'jsonrpc':'2.0','id':'srv-8','method':'elicitation/create','params':{}}");
        var answer = await s.Link.ReadAsync();
        s.Link.Send(Answer(sentFirst, "{}"));
        s.Link.Send(Answer(sentSecond, "{}"));
        await Task.WhenAll(first, second).WaitAsync(Patience);

        Assert.Equal("decline", (string?)answer["result"]!["action"]);
        Assert.Single(latest.ServerRequests);
        Assert.Empty(earlier.ServerRequests);
    }

    [Fact]
    public async Task ServerPing_IsAnsweredLocallyAndNotRelayed()
    {
        await using var s = await Connected.StartAsync();
        var sink = new RecordingSink();

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", sink);
        var sent = await s.Link.ReadAsync();
        s.Link.Send("{'jsonrpc':'2.0','id':'ping-1','method':'ping'}");
        var pong = await s.Link.ReadAsync();
        s.Link.Send(Answer(sent, "{}"));
        await call.WaitAsync(Patience);

        Json.Equal("{'jsonrpc':'2.0','id':'ping-1','result':{}}", pong);
        Assert.Empty(sink.ServerRequests);
    }

    [Theory]
    [InlineData("roots/list", "{'jsonrpc':'2.0','id':5,'result':{'roots':[]}}")]
    [InlineData("sampling/createMessage", null)]
    public async Task ServerRequest_NoCallInFlight_IsAnsweredByTheGateway(string method, string? expected)
    {
        await using var s = await Connected.StartAsync();

        s.Link.Send($"{{'jsonrpc':'2.0','id':5,'method':'{method}','params':{{}}}}");
        var answer = await s.Link.ReadAsync();

        if (expected is not null)
        {
            Json.Equal(expected, answer);
        }
        else
        {
            Assert.Equal(5, (int)answer["id"]!);
            Assert.Equal(JsonRpcErrorCodes.MethodNotFound, (int)answer["error"]!["code"]!);
        }
    }

    [Fact]
    public async Task Call_CallerCancels_SendsCancelledWithTheUpstreamId()
    {
        await using var s = await Connected.StartAsync();
        using var cts = new CancellationTokenSource();

        var call = s.Call("{'jsonrpc':'2.0','id':'mine','method':'tools/call','params':{'name':'slow'}}", cancellationToken: cts.Token);
        var sent = await s.Link.ReadAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(Patience));
        var cancelled = await s.Link.ReadAsync();
        Assert.Equal(McpMethods.Cancelled, JsonRpc.Method(cancelled));
        Json.Equal(sent["id"], cancelled["params"]!["requestId"]);
    }

    [Fact]
    public async Task Call_LateAnswerAfterCancellation_IsIgnoredAndLaterCallsWork()
    {
        await using var s = await Connected.StartAsync();
        using var cts = new CancellationTokenSource();
        var cancelledCall = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'slow'}}", cancellationToken: cts.Token);
        var sentCancelled = await s.Link.ReadAsync();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelledCall.WaitAsync(Patience));
        await s.Link.ReadAsync(McpMethods.Cancelled);

        s.Link.Send(Answer(sentCancelled, "{'late':true}"));
        var next = s.Call("{'jsonrpc':'2.0','id':2,'method':'tools/list'}");
        var sentNext = await s.Link.ReadAsync();
        s.Link.Send(Answer(sentNext, "{'tools':[]}"));

        Json.Equal("{'jsonrpc':'2.0','id':2,'result':{'tools':[]}}", await next.WaitAsync(Patience));
    }

    [Fact]
    public async Task Notify_ClientsCancelledNotification_IsNotForwardedButOthersAre()
    {
        await using var s = await Connected.StartAsync();

        await s.Upstream.NotifyAsync(Json.Object("{'jsonrpc':'2.0','method':'notifications/cancelled','params':{'requestId':1}}"), CancellationToken.None);
        await s.Upstream.NotifyAsync(Json.Object("{'jsonrpc':'2.0','method':'notifications/roots/list_changed'}"), CancellationToken.None);

        Json.Equal("{'jsonrpc':'2.0','method':'notifications/roots/list_changed'}", await s.Link.ReadAsync());
        Assert.True(s.Link.NothingSent);
    }

    [Fact]
    public async Task LinkDies_InFlightCallFailsWithUpstreamUnavailableAndTheSupervisorReconnects()
    {
        await using var s = await Connected.StartAsync();

        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}");
        await s.Link.ReadAsync();
        s.Link.Close("the process exited with code 137");

        var error = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => call.WaitAsync(Patience));
        Assert.Equal("bank", error.Upstream);
        Assert.Contains("code 137", error.Reason);

        var relinked = await s.Links.NextLinkAsync();
        await relinked.AcceptHandshakeAsync();
        await Eventually.True(() => s.Upstream.Health.State == UpstreamState.Ready, "the upstream is ready again");
        Assert.Equal(1, s.Upstream.Health.Restarts);
        Assert.True(s.Link.Disposed);

        var again = s.Call("{'jsonrpc':'2.0','id':2,'method':'tools/list'}");
        var sent = await relinked.ReadAsync();
        relinked.Send(Answer(sent, "{'tools':[]}"));
        Json.Equal("{'jsonrpc':'2.0','id':2,'result':{'tools':[]}}", await again.WaitAsync(Patience));
    }

    [Fact]
    public async Task LinkDies_WhileDown_CallsFailWithTheReason()
    {
        var links = new PipeLinkFactory();
        await using var upstream = New(links, new UpstreamRestartPolicy(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10)));
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await links.NextLinkAsync();
        await link.AcceptHandshakeAsync();
        await starting.WaitAsync(Patience);

        link.Close("the process exited with code 1");
        await Eventually.True(() => upstream.Health.State == UpstreamState.Down, "the upstream is down");

        var error = await Assert.ThrowsAsync<UpstreamUnavailableException>(
            () => upstream.CallAsync(Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/list'}"), new RecordingSink(), CancellationToken.None));
        Assert.Equal("the process exited with code 1", error.Reason);
        Assert.Equal("the process exited with code 1", upstream.Health.Reason);
    }

    [Fact]
    public async Task Start_OpenFails_IsDownWithTheReasonThenConnectsOnRetry()
    {
        var links = new PipeLinkFactory();
        links.FailNextOpen("connection refused");
        await using var upstream = New(links);

        await upstream.StartAsync(CancellationToken.None).WaitAsync(Patience);
        var down = upstream.Health;
        var link = await links.NextLinkAsync();
        await link.AcceptHandshakeAsync();
        await Eventually.True(() => upstream.Health.State == UpstreamState.Ready, "the upstream is ready");

        Assert.Equal(UpstreamState.Down, down.State);
        Assert.Equal("connection refused", down.Reason);
        Assert.Equal(2, links.Opens);
    }

    [Fact]
    public async Task Start_ServerRefusesInitialize_IsDownWithItsMessageAndRetries()
    {
        var links = new PipeLinkFactory();
        await using var upstream = New(links);
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await links.NextLinkAsync();

        var initialize = await link.ReadAsync();
        link.Send(JsonRpc.Error(initialize["id"], JsonRpcErrorCodes.InvalidParams, "unsupported protocol version"));
        await starting.WaitAsync(Patience);

        Assert.Equal(UpstreamState.Down, upstream.Health.State);
        Assert.Contains("refused initialize", upstream.Health.Reason);
        Assert.Contains("unsupported protocol version", upstream.Health.Reason);
        await links.NextLinkAsync();
    }

    [Fact]
    public async Task Start_ServerExitsDuringHandshake_IsDownWithTheExitReason()
    {
        var links = new PipeLinkFactory();
        await using var upstream = New(links);
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await links.NextLinkAsync();

        await link.ReadAsync();
        link.Close("the process exited with code 2");
        await starting.WaitAsync(Patience);

        Assert.Equal(UpstreamState.Down, upstream.Health.State);
        Assert.Contains("the process exited with code 2", upstream.Health.Reason);
    }

    [Fact]
    public async Task Start_HandshakeTimesOut_InitializeIsNotCancelled()
    {
        // 2025-11-25 basic/utilities/cancellation: "The initialize request MUST NOT be cancelled by clients."
        var links = new PipeLinkFactory();
        await using var upstream = New(links, new UpstreamRestartPolicy(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100)));
        var starting = upstream.StartAsync(CancellationToken.None);
        var link = await links.NextLinkAsync();

        await link.ReadAsync(McpMethods.Initialize);
        await starting.WaitAsync(Patience);

        Assert.Equal(UpstreamState.Down, upstream.Health.State);
        Assert.DoesNotContain(link.Drain(), m => JsonRpc.Method(m) == McpMethods.Cancelled);
    }

    [Fact]
    public async Task Start_HandshakeTimesOut_ReasonNamesTheHandshake()
    {
        var links = new PipeLinkFactory();
        await using var upstream = New(links, new UpstreamRestartPolicy(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(100)));
        var starting = upstream.StartAsync(CancellationToken.None);
        await links.NextLinkAsync();

        await starting.WaitAsync(Patience);

        Assert.Equal(UpstreamState.Down, upstream.Health.State);
        Assert.Contains("initialize", upstream.Health.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unsolicited_NotificationOutsideAnyCall_IsRaisedWithTheUpstream()
    {
        await using var s = await Connected.StartAsync();
        var raised = new ConcurrentQueue<(Upstream Upstream, JsonObject Notification)>();
        s.Upstream.UnsolicitedNotification += (u, n) => raised.Enqueue((u, n));

        s.Link.Send("{'jsonrpc':'2.0','method':'notifications/tools/list_changed'}");
        s.Link.Send("{'jsonrpc':'2.0','method':'notifications/resources/updated','params':{'uri':'bank://customers/1'}}");
        await Eventually.True(() => raised.Count == 2, "both notifications are raised");

        Assert.All(raised, r => Assert.Same(s.Upstream, r.Upstream));
        Assert.Equal([McpMethods.ToolsListChanged, McpMethods.ResourceUpdated], raised.Select(r => JsonRpc.Method(r.Notification)));
        Assert.Equal("bank://customers/1", (string?)raised.Last().Notification["params"]!["uri"]);
    }

    /// <summary>Calls of the given callers in flight (one each), a message from the upstream with no relation, then every call answered.</summary>
    private static async Task<(List<RecordingSink> Sinks, ConcurrentQueue<JsonObject> Raised)> UnrelatedDuringCallsAsync(JsonObject unrelated, params string[] callers)
    {
        await using var s = await Connected.StartAsync();
        var raised = new ConcurrentQueue<JsonObject>();
        s.Upstream.UnsolicitedNotification += (_, n) => raised.Enqueue(n);
        var sinks = callers.Select(c => new RecordingSink { CallerKey = c }).ToList();
        var calls = new List<Task<JsonObject>>();
        var sent = new List<JsonObject>();
        for (var i = 0; i < sinks.Count; i++)
        {
            calls.Add(s.Call($"{{'jsonrpc':'2.0','id':{i + 1},'method':'tools/call','params':{{'name':'x'}}}}", sinks[i]));
            sent.Add(await s.Link.ReadAsync());
        }

        s.Link.Send(unrelated);
        foreach (var request in sent)
        {
            s.Link.Send(Answer(request, "{}"));
        }

        await Task.WhenAll(calls).WaitAsync(Patience);
        // Messages are routed in arrival order: once a later one is raised, the one under test was routed too.
        s.Link.Send("{'jsonrpc':'2.0','method':'notifications/prompts/list_changed','params':{'sentinel':true}}");
        await Eventually.True(() => raised.Any(n => n["params"]?["sentinel"] is not null), "the sentinel is raised");
        return (sinks, new ConcurrentQueue<JsonObject>(raised.Where(n => n["params"]?["sentinel"] is null)));
    }

    private static JsonObject Whisper(string data) => JsonRpc.Notification(McpMethods.Message, new JsonObject { ["level"] = "info", ["data"] = data });

    [Theory]
    [InlineData(McpMethods.Message)]
    [InlineData("notifications/elicitation/complete")]
    [InlineData("notifications/x-vendor/anything")]
    public async Task Notification_UnrelatedWhileOneCallersCallsRun_GoesToThatCallerOnly(string method)
    {
        var (sinks, raised) = await UnrelatedDuringCallsAsync(JsonRpc.Notification(method, new JsonObject { ["data"] = "alice's data" }), "https://idp|alice", "https://idp|alice");

        Assert.Empty(sinks[0].Notifications);
        Assert.Equal("alice's data", (string?)Assert.Single(sinks[1].Notifications)["params"]!["data"]); // the latest call, as for server requests
        Assert.Empty(raised);
    }

    [Fact]
    public async Task Log_UnrelatedWhileCallsOfTwoCallersRun_IsShownToNoneAndNotBroadcast()
    {
        var (sinks, raised) = await UnrelatedDuringCallsAsync(Whisper("whose is this?"), "https://idp|alice", "https://idp|bob");

        Assert.All(sinks, sink => Assert.Empty(sink.Notifications));
        Assert.Empty(raised);
    }

    [Fact]
    public async Task Log_UnrelatedWithNoCallInFlight_IsUnsolicited()
    {
        var (_, raised) = await UnrelatedDuringCallsAsync(Whisper("server news"));

        Assert.Equal("server news", (string?)Assert.Single(raised)["params"]!["data"]);
    }

    [Theory]
    [InlineData(McpMethods.ToolsListChanged)]
    [InlineData(McpMethods.ResourceUpdated)]
    public async Task ServerWideNotification_WhileACallRuns_IsUnsolicitedNotTheCallers(string method)
    {
        var (sinks, raised) = await UnrelatedDuringCallsAsync(JsonRpc.Notification(method, new JsonObject { ["uri"] = "bank://x" }), "https://idp|alice");

        Assert.Empty(sinks[0].Notifications);
        Assert.Equal(method, JsonRpc.Method(Assert.Single(raised)));
    }

    [Fact]
    public async Task Log_TiedToACallThatHasEnded_IsShownToNobody()
    {
        await using var s = await Connected.StartAsync();
        var raised = new ConcurrentQueue<JsonObject>();
        s.Upstream.UnsolicitedNotification += (_, n) => raised.Enqueue(n);
        var alice = new RecordingSink { CallerKey = "https://idp|alice" };
        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'x'}}", alice);
        var sent = await s.Link.ReadAsync();
        s.Link.Send(Answer(sent, "{}"));
        await call.WaitAsync(Patience);

        s.Link.Send(Whisper("late"), relatedRequestId: (long)sent["id"]!);
        s.Link.Send(JsonRpc.Notification(McpMethods.ToolsListChanged, null)); // arrives after it, in order
        await Eventually.True(() => !raised.IsEmpty, "the list change is raised");

        Assert.Equal([McpMethods.ToolsListChanged], raised.Select(JsonRpc.Method));
        Assert.Empty(alice.Notifications);
    }

    [Fact]
    public async Task Incoming_UnmatchedOrInvalidMessages_AreIgnored()
    {
        await using var s = await Connected.StartAsync();

        s.Link.Send("{'jsonrpc':'2.0','id':424242,'result':{}}");
        s.Link.Send("{'jsonrpc':'1.0','id':1,'method':'x'}");
        var call = s.Call("{'jsonrpc':'2.0','id':1,'method':'tools/list'}");
        var sent = await s.Link.ReadAsync();
        s.Link.Send(Answer(sent, "{'tools':[]}"));

        Json.Equal("{'jsonrpc':'2.0','id':1,'result':{'tools':[]}}", await call.WaitAsync(Patience));
        Assert.Equal(UpstreamState.Ready, s.Upstream.Health.State);
    }

    [Fact]
    public async Task Dispose_RunningUpstream_StopsAndClosesTheLink()
    {
        var s = await Connected.StartAsync();

        await s.Upstream.DisposeAsync().AsTask().WaitAsync(Patience);

        Assert.Equal(UpstreamState.Stopped, s.Upstream.Health.State);
        Assert.True(s.Link.Disposed);
    }
}
