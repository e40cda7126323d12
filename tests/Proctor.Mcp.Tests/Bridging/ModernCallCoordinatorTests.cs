using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Proctor.Mcp.Bridging;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Clients;
using Proctor.Mcp.Tests.Routing;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Bridging;

/// <summary>Bridge B (docs/bridging.md): a session-era upstream asks a 2026-07-28 client something mid-call.</summary>
public sealed partial class ModernCallCoordinatorTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly Caller Mallory = Gateways.ModernAlice with { Subject = "mallory" };

    private const string Transfer = "{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'transfer','arguments':{'amount':100}}}";

    [GeneratedRegex("^proctor-held:[0-9A-Fa-f]{32}$")]
    private static partial Regex HeldState();

    /// <summary>A session-era upstream whose call asks the client before it ends, and tells what it was answered.</summary>
    private sealed class Scenario
    {
        public ManualTimeProvider Time { get; } = new();

        public TaskCompletionSource UpstreamCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ScriptedUpstream Upstream { get; }

        public ModernCallCoordinator Coordinator { get; }

        public Scenario(params string[] questions)
        {
            Upstream = new ScriptedUpstream("legacy", async (request, sink, ct) =>
            {
                ct.Register(() => UpstreamCancelled.TrySetResult());
                if (request["params"]?["name"]?.ToString() == "status")
                {
                    return JsonRpc.Result(request["id"], Json.Object("{'content':[]}"));
                }

                await sink.OnNotificationAsync(JsonRpc.Notification(McpMethods.Progress, Json.Object("{'progressToken':'p','progress':1}")), ct);
                var asked = new List<Task<JsonObject>>();
                foreach (var question in questions)
                {
                    asked.Add(sink.OnServerRequestAsync(JsonRpc.Request($"srv-{question}", "elicitation/create", new JsonObject { ["message"] = question }), ct));
                }

                var answers = await Task.WhenAll(asked);
                await sink.OnNotificationAsync(JsonRpc.Notification(McpMethods.Progress, Json.Object("{'progressToken':'p','progress':2}")), ct);
                return JsonRpc.Result(request["id"], new JsonObject
                {
                    ["content"] = Json.Object("{'a':[{'type':'text','text':'done'}]}")["a"]!.DeepClone(),
                    ["answers"] = new JsonArray([.. answers.Select(a => a.DeepClone())]),
                });
            });
            Coordinator = new ModernCallCoordinator(Gateways.Dispatcher([Upstream]), Time);
        }

        public Task<JsonObject> Send(string message, Caller? caller = null, RecordingClientChannel? channel = null, CancellationToken cancellationToken = default) =>
            Coordinator.HandleAsync(Gateways.Request("legacy", message, caller ?? Gateways.ModernAlice, channel ?? new RecordingClientChannel("{'elicitation':{}}")), cancellationToken)
                .WaitAsync(Patience, cancellationToken);

        /// <summary>The retry a 2026-07-28 client sends: new id, same request, answers and the echoed state.</summary>
        public static string Retry(JsonObject inputRequired, int id, string answers, string name = "transfer") =>
            $"{{'jsonrpc':'2.0','id':{id},'method':'tools/call','params':{{'name':'{name}','arguments':{{'amount':100}},'inputResponses':{answers},'requestState':'{inputRequired["result"]!["requestState"]}'}}}}";
    }

    private static string Accept(params string[] keys) =>
        "{" + string.Join(",", keys.Select(k => $"'{k}':{{'action':'accept','content':{{'ok':true}}}}")) + "}";

    /// <summary>The upstream call's own final result (it carries the answers it got), not another input round.</summary>
    private static bool Completed(JsonObject response) => response["result"]?["answers"] is JsonArray;

    private static JsonObject InputRequests(JsonObject response) => response["result"]!["inputRequests"]!.AsObject();

    [Fact]
    public async Task Handle_UpstreamAsksMidCall_AnswersInputRequiredWithAHeldState()
    {
        var scenario = new Scenario("Confirm?");
        var channel = new RecordingClientChannel("{'elicitation':{}}");

        var response = await scenario.Send(Transfer, channel: channel);

        Assert.Equal(1, (int)response["id"]!);
        Assert.Equal("input_required", (string?)response["result"]!["resultType"]);
        var (key, asked) = Assert.Single(InputRequests(response));
        Json.Equal("{'method':'elicitation/create','params':{'message':'Confirm?'}}", asked);
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Matches(HeldState(), (string?)response["result"]!["requestState"]);
        Assert.Empty(channel.Requests);
        Assert.Equal(1, (int)Assert.Single(channel.Notifications)["params"]!["progress"]!);
    }

    [Fact]
    public async Task Handle_RetryWithTheAnswer_ResumesTheHeldCallAndReturnsItsResult()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);
        var key = Assert.Single(InputRequests(first)).Key;
        var resumed = new RecordingClientChannel("{'elicitation':{}}");

        var response = await scenario.Send(Scenario.Retry(first, 2, Accept(key)), channel: resumed);

        Assert.Equal(2, (int)response["id"]!);
        Json.Equal("[{'jsonrpc':'2.0','id':null,'result':{'action':'accept','content':{'ok':true}}}]", response["result"]!["answers"]);
        Assert.Single(scenario.Upstream.Requests);
        Assert.Equal(2, (int)Assert.Single(resumed.Notifications)["params"]!["progress"]!);
    }

    [Fact]
    public async Task Handle_RetryFromAnotherCaller_IsRefused()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);

        var response = await scenario.Send(Scenario.Retry(first, 2, Accept(InputRequests(first).Single().Key)), Mallory);

        Assert.Equal(2, (int)response["id"]!);
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
        Assert.Single(scenario.Upstream.Requests);
    }

    [Fact]
    public async Task Handle_RetryForAnotherTool_IsRefused()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);

        var response = await scenario.Send(Scenario.Retry(first, 2, Accept(InputRequests(first).Single().Key), name: "delete_account"));

        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
        Assert.Single(scenario.Upstream.Requests);
    }

    [Fact]
    public async Task Handle_RetryForAnotherMethod_IsRefused()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);
        var retry = Scenario.Retry(first, 2, Accept(InputRequests(first).Single().Key)).Replace("tools/call", "prompts/get");

        var response = await scenario.Send(retry);

        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
    }

    [Fact]
    public async Task Handle_HandleUsedTwice_SecondUseIsRefused()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);
        var retry = Scenario.Retry(first, 2, Accept(InputRequests(first).Single().Key));
        var resumed = await scenario.Send(retry);

        var replayed = await scenario.Send(retry);

        Assert.True(Completed(resumed), resumed.ToJsonString());
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)replayed["error"]!["code"]!);
        Assert.Single(scenario.Upstream.Requests);
    }

    [Fact]
    public async Task Handle_ForgedHandle_IsRefused()
    {
        var scenario = new Scenario("Confirm?");
        await scenario.Send(Transfer);

        var response = await scenario.Send("{'jsonrpc':'2.0','id':2,'method':'tools/call','params':{'name':'transfer','arguments':{'amount':100},'inputResponses':{},'requestState':'proctor-held:00000000000000000000000000000000'}}");

        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
    }

    [Fact]
    public async Task Handle_RetryWithoutTheAnswer_AsksAgainUnderANewHandle()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);
        var key = InputRequests(first).Single().Key;

        var again = await scenario.Send(Scenario.Retry(first, 2, "{}"));
        var stale = await scenario.Send(Scenario.Retry(first, 3, Accept(key)));
        var done = await scenario.Send(Scenario.Retry(again, 4, Accept(key)));

        Assert.Equal("input_required", (string?)again["result"]!["resultType"]);
        Assert.Equal([key], InputRequests(again).Select(p => p.Key));
        Assert.NotEqual((string?)first["result"]!["requestState"], (string?)again["result"]!["requestState"]);
        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)stale["error"]!["code"]!);
        Assert.Equal(4, (int)done["id"]!);
        Assert.Equal("accept", (string?)done["result"]!["answers"]![0]!["result"]!["action"]);
    }

    [Fact]
    public async Task Handle_TwoQuestionsAnsweredTogether_ReturnsTheFinalResult()
    {
        var scenario = new Scenario("First?", "Second?");
        var first = await scenario.Send(Transfer);
        var keys = InputRequests(first).Select(p => p.Key).ToArray();

        var response = await scenario.Send(Scenario.Retry(first, 2, Accept(keys)));

        Assert.Equal(2, keys.Length);
        Assert.True(Completed(response), response.ToJsonString());
        Assert.Equal(2, response["result"]!["answers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Handle_TwoQuestionsAnsweredOneAtATime_AsksForTheMissingOneThenFinishes()
    {
        var scenario = new Scenario("First?", "Second?");
        var first = await scenario.Send(Transfer);
        var keys = InputRequests(first).Select(p => p.Key).Order().ToArray();

        var partial = await scenario.Send(Scenario.Retry(first, 2, Accept(keys[0])));
        var response = await scenario.Send(Scenario.Retry(partial, 3, Accept(keys[1])));

        Assert.Equal([keys[1]], InputRequests(partial).Select(p => p.Key));
        Assert.True(Completed(response), response.ToJsonString());
        Assert.Equal(2, response["result"]!["answers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Handle_ClientWithoutTheCapability_UpstreamIsAnsweredWithAnErrorAndTheCallEnds()
    {
        var scenario = new Scenario("Confirm?");

        var response = await scenario.Send(Transfer, channel: new RecordingClientChannel("{}"));

        Assert.Equal(1, (int)response["id"]!);
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, (int)response["result"]!["answers"]![0]!["error"]!["code"]!);
    }

    [Fact]
    public async Task Handle_CallThatAsksNothing_ReturnsItsResult()
    {
        var scenario = new Scenario();

        var response = await scenario.Send("{'jsonrpc':'2.0','id':'x','method':'tools/call','params':{'name':'status'}}");

        Json.Equal("{'jsonrpc':'2.0','id':'x','result':{'content':[]}}", response);
    }

    [Fact]
    public async Task Handle_RequestStateThatIsNotOurs_GoesUpstreamUnchanged()
    {
        var scenario = new Scenario();

        await scenario.Send("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'status','requestState':'the-upstreams-own'}}");

        Assert.Equal("the-upstreams-own", (string?)Assert.Single(scenario.Upstream.Requests)["params"]!["requestState"]);
    }

    [Fact]
    public async Task Handle_ClientClosesTheStream_CancelsTheCallUpstream()
    {
        var upstreamStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var upstream = new ScriptedUpstream("legacy", async (_, _, ct) =>
        {
            ct.Register(() => upstreamCancelled.TrySetResult());
            upstreamStarted.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        var coordinator = new ModernCallCoordinator(Gateways.Dispatcher([upstream]), new ManualTimeProvider());
        using var stream = new CancellationTokenSource();

        var handling = coordinator.HandleAsync(Gateways.Request("legacy", Transfer, Gateways.ModernAlice, new RecordingClientChannel()), stream.Token);
        await upstreamStarted.Task.WaitAsync(Patience);
        await stream.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handling.WaitAsync(Patience));
        await upstreamCancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Handle_ExpiredCallSweptByALaterHold_IsCancelledUpstream()
    {
        var scenario = new Scenario("Confirm?");
        await scenario.Send(Transfer);
        var cancelledBefore = scenario.UpstreamCancelled.Task.IsCompleted;

        scenario.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        await scenario.Send(Transfer.Replace("'id':1", "'id':2"));

        Assert.False(cancelledBefore);
        await scenario.UpstreamCancelled.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task Handle_RetryAfterExpiry_IsRefusedAndTheHeldCallIsCancelledUpstream()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);

        scenario.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var response = await scenario.Send(Scenario.Retry(first, 2, Accept(InputRequests(first).Single().Key)));

        Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)response["error"]!["code"]!);
        await scenario.UpstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Handle_RetryJustBeforeExpiry_Resumes()
    {
        var scenario = new Scenario("Confirm?");
        var first = await scenario.Send(Transfer);

        scenario.Time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var response = await scenario.Send(Scenario.Retry(first, 2, Accept(InputRequests(first).Single().Key)));

        Assert.True(Completed(response), response.ToJsonString());
    }
}
