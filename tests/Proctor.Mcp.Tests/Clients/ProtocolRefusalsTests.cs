using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Tests.Pipeline;
using Proctor.Mcp.Tests.Routing;

namespace Proctor.Mcp.Tests.Clients;

public sealed class ProtocolRefusalsTests
{
    private readonly RecordingMessageRecorder _recorder = new();

    private ProtocolRefusals Refusals() => new(new WordMasker(), _recorder, NullLogger<ProtocolRefusals>.Instance);

    [Fact]
    public void Error_RequestWithoutId_IsAnInvalidRequestNamingTheReasonAndTheMethod()
    {
        var verdict = ClientMessages.Judge(Json.Object("{'jsonrpc':'2.0','method':'tools/call','params':{}}"), modern: false);

        var error = ProtocolRefusals.Error(null, verdict, "tools/call");

        Assert.Null(error["id"]);
        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, (int)error["error"]!["code"]!);
        Assert.Equal($"Invalid Request: {verdict.Problem}", (string?)error["error"]!["message"]);
        Json.Equal("{'reason':'protocol.request_without_id','method':'tools/call'}", error["error"]!["data"]);
    }

    [Fact]
    public async Task Record_StoresTheMaskedErrorForTheRoute()
    {
        var error = JsonRpc.Error(null, JsonRpcErrorCodes.InvalidRequest, $"'{WordMasker.Ssn}' is not a notification", new System.Text.Json.Nodes.JsonObject { ["reason"] = ReasonCodes.NotificationNotAllowed });

        await Refusals().RecordAsync(Gateways.LegacyAlice, new Route("bank"), error);

        var refusal = Assert.Single(_recorder.Refusals);
        Assert.Equal("bank", refusal.Server);
        Assert.Equal("alice", refusal.Caller.Subject);
        Assert.Equal("'[SSN]' is not a notification", (string?)refusal.Refusal.Message["error"]!["message"]);
    }

    [Fact]
    public async Task Record_TheLedgerCannotCommit_DoesNotThrow()
    {
        _recorder.Before = _ => throw new RecordingFailedException("locked");

        await Refusals().RecordAsync(Gateways.LegacyAlice, Route.Aggregate, JsonRpc.Error(null, JsonRpcErrorCodes.InvalidRequest, "no"));

        Assert.Empty(_recorder.Refusals);
    }
}
