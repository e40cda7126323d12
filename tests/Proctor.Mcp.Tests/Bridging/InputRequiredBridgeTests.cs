using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Clients;
using Proctor.Mcp.Tests.Routing;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Bridging;

/// <summary>Bridge A (docs/bridging.md): a 2026-07-28 upstream answers input_required to a session-era client.</summary>
public sealed class InputRequiredBridgeTests
{
    private const string Transfer = "{'jsonrpc':'2.0','id':42,'method':'tools/call','params':{'name':'transfer','arguments':{'amount':100}}}";

    private static JsonObject InputRequired(JsonNode? id, string inputRequests, string requestState) =>
        JsonRpc.Result(id, Json.Object($"{{'resultType':'input_required','inputRequests':{inputRequests},'requestState':'{requestState}'}}"));

    private static JsonObject Final(JsonNode? id, string text) =>
        JsonRpc.Result(id, Json.Object($"{{'resultType':'complete','content':[{{'type':'text','text':'{text}'}}]}}"));

    /// <summary>Asks for a confirmation and the roots on the first round, answers on the retry.</summary>
    private static ScriptedUpstream AskingOnce() => new("mod", (request, _, _) => Task.FromResult(
        request["params"]?["inputResponses"] is null
            ? InputRequired(request["id"], "{'confirm':{'method':'elicitation/create','params':{'message':'Transfer 100?','requestedSchema':{'type':'object'}}},'where':{'method':'roots/list','params':{}}}", "opaque-1")
            : Final(request["id"], "transferred")));

    private static RecordingClientChannel AnsweringClient(string capabilities = "{'elicitation':{},'roots':{}}") => new(capabilities, request => JsonRpc.Method(request) switch
    {
        "elicitation/create" => JsonRpc.Result(request["id"], Json.Object("{'action':'accept','content':{'ok':true}}")),
        "roots/list" => JsonRpc.Result(request["id"], Json.Object("{'roots':[{'uri':'file:///home/alice'}]}")),
        _ => JsonRpc.Error(request["id"], JsonRpcErrorCodes.MethodNotFound, "no"),
    });

    [Fact]
    public async Task Resolve_UpstreamNeedsInput_AsksTheClientEachInputRequestThroughTheSink()
    {
        var upstream = AskingOnce();
        var client = AnsweringClient();

        await Gateways.Dispatcher([upstream]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.LegacyAlice, client), CancellationToken.None);

        Assert.Equal(["elicitation/create", "roots/list"], client.Requests.Select(JsonRpc.Method).Order());
        var elicitation = client.Requests.Single(r => JsonRpc.Method(r) == "elicitation/create");
        Json.Equal("{'message':'Transfer 100?','requestedSchema':{'type':'object'}}", elicitation["params"]);
        Assert.True(JsonRpc.IsValidId(elicitation["id"]));
    }

    [Fact]
    public async Task Resolve_AnswersCollected_RetryCarriesInputResponsesAndTheUpstreamsRequestState()
    {
        var upstream = AskingOnce();

        await Gateways.Dispatcher([upstream]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.LegacyAlice, AnsweringClient()), CancellationToken.None);

        Assert.Equal(2, upstream.Requests.Count);
        var retry = upstream.Requests.Last();
        Json.Equal(
            "{'name':'transfer','arguments':{'amount':100},'inputResponses':{'confirm':{'action':'accept','content':{'ok':true}},'where':{'roots':[{'uri':'file:///home/alice'}]}},'requestState':'opaque-1'}",
            retry["params"]);
        Assert.Equal("tools/call", JsonRpc.Method(retry));
        Assert.NotEqual(upstream.Requests.First()["id"]!.ToJsonString(), retry["id"]!.ToJsonString());
    }

    [Theory]
    [InlineData("42")]
    [InlineData("'req-42'")]
    public async Task Resolve_FinalResult_CarriesTheClientsOriginalId(string id)
    {
        var message = Transfer.Replace("'id':42", $"'id':{id}");

        var response = await Gateways.Dispatcher([AskingOnce()]).HandleAsync(Gateways.Request("mod", message, Gateways.LegacyAlice, AnsweringClient()), CancellationToken.None);

        Json.Equal(Final(Json.Object($"{{'id':{id}}}")["id"], "transferred"), response);
    }

    [Fact]
    public async Task Resolve_Retry_GoesThroughTheWholePipelineAgain()
    {
        var counting = new Gateways.CountingStage();

        await Gateways.Dispatcher([AskingOnce()], [counting]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.LegacyAlice, AnsweringClient()), CancellationToken.None);

        Assert.Equal(2, counting.Runs);
    }

    [Fact]
    public async Task Resolve_PipelineRefusesTheRetry_ClientGetsTheRefusalWithItsId()
    {
        var refusing = new Gateways.CountingStage(c => c.Request["params"]?["inputResponses"] is not null);
        var upstream = AskingOnce();

        var response = await Gateways.Dispatcher([upstream], [refusing]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.LegacyAlice, AnsweringClient()), CancellationToken.None);

        Assert.Single(upstream.Requests);
        Assert.Equal(42, (int)response["id"]!);
        Assert.Equal(JsonRpcErrorCodes.Refused, (int)response["error"]!["code"]!);
    }

    [Fact]
    public async Task Resolve_UpstreamAsksAgain_EachRoundAsksTheClientAndEchoesThatRoundsState()
    {
        var upstream = new ScriptedUpstream("mod", (request, _, _) => Task.FromResult((string?)request["params"]?["requestState"] switch
        {
            null => InputRequired(request["id"], "{'q1':{'method':'elicitation/create','params':{'message':'first?'}}}", "state-1"),
            "state-1" => InputRequired(request["id"], "{'q2':{'method':'elicitation/create','params':{'message':'second?'}}}", "state-2"),
            _ => Final(request["id"], "done"),
        }));
        var client = AnsweringClient();

        var response = await Gateways.Dispatcher([upstream]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.LegacyAlice, client), CancellationToken.None);

        Assert.Equal(["first?", "second?"], client.Requests.Select(r => (string?)r["params"]!["message"]));
        var third = upstream.Requests.Last()["params"]!;
        Assert.Equal("state-2", (string?)third["requestState"]);
        Json.Equal("{'q2':{'action':'accept','content':{'ok':true}}}", third["inputResponses"]);
        Json.Equal(Final(42, "done"), response);
        Assert.Equal(3, upstream.Requests.Select(r => r["id"]!.ToJsonString()).Distinct().Count());
    }

    [Fact]
    public async Task Resolve_UpstreamNeverStopsAsking_EndsWithAnErrorAfterMaxRounds()
    {
        var upstream = new ScriptedUpstream("mod", (request, _, _) =>
            Task.FromResult(InputRequired(request["id"], "{'again':{'method':'elicitation/create','params':{'message':'again?'}}}", "s")));
        var client = AnsweringClient();

        var response = await Gateways.Dispatcher([upstream]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.LegacyAlice, client), CancellationToken.None);

        Assert.Equal(17, upstream.Requests.Count);
        Assert.Equal(16, client.Requests.Count);
        Assert.Equal(42, (int)response["id"]!);
        Assert.Equal(JsonRpcErrorCodes.InternalError, (int)response["error"]!["code"]!);
        Assert.Contains("16 rounds", (string?)response["error"]!["message"]);
    }

    [Fact]
    public async Task Resolve_ClientLacksTheCapability_IsNotAskedAndTheUpstreamGetsNoAnswerForIt()
    {
        var upstream = AskingOnce();
        var client = AnsweringClient("{'roots':{}}");

        await Gateways.Dispatcher([upstream]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.LegacyAlice, client), CancellationToken.None);

        Assert.Equal(["roots/list"], client.Requests.Select(JsonRpc.Method));
        var responses = upstream.Requests.Last()["params"]!["inputResponses"]!.AsObject();
        Assert.False(responses.ContainsKey("confirm"));
        Assert.True(responses.ContainsKey("where"));
    }

    [Fact]
    public async Task Dispatch_ModernClient_GetsInputRequiredAsIsAndIsNotAsked()
    {
        var upstream = AskingOnce();
        var client = AnsweringClient();

        var response = await Gateways.Dispatcher([upstream]).HandleAsync(Gateways.Request("mod", Transfer, Gateways.ModernAlice, client), CancellationToken.None);

        Assert.Equal("input_required", (string?)response["result"]!["resultType"]);
        Assert.Equal("opaque-1", (string?)response["result"]!["requestState"]);
        Assert.Empty(client.Requests);
        Assert.Single(upstream.Requests);
    }
}
