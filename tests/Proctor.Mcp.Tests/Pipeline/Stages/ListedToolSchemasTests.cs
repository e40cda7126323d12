using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

/// <summary>
/// tools/list through Mask → Record → Forward: each tool's outputSchema is the masker's adjusted one in
/// what the caller receives and in what the ledger stores; inputSchema and other methods are left alone.
/// </summary>
public sealed class ListedToolSchemasTests
{
    private readonly WordMasker _masker = new();
    private readonly List<CallRecord> _records = [];

    [Fact]
    public async Task ToolsList_OutputSchemas_AdjustedPerToolInDeliveredAndStoredCopies()
    {
        var context = Calls.Context(Listing(), ListRequest());

        await Pipeline().RunAsync(context, CancellationToken.None);

        AssertAdjusted(context.Response!);
        AssertAdjusted(_records.Single(r => r.Kind == CallRecordKind.Response).Payload!);
    }

    [Fact]
    public async Task ToolsList_MaskerHandedOverItsBytes_LedgerStoresTheAdjustedCopyNotThoseBytes()
    {
        var context = Calls.Context(Listing(), ListRequest());

        await Pipeline().RunAsync(context, CancellationToken.None);

        // The masker's bytes predate the adjustment: storing them would put in the ledger a schema the caller never got.
        var stored = _records.Single(r => r.Kind == CallRecordKind.Response);
        var bytes = stored.PayloadUtf8 is { } utf8 ? System.Text.Encoding.UTF8.GetString(utf8.Span) : stored.Payload!.ToJsonString();
        AssertAdjusted(JsonNode.Parse(bytes)!.AsObject());
    }

    [Fact]
    public async Task ToolsList_CallerInARevealedGroup_GetsTheAdjustedSchemaToo()
    {
        var investigator = Calls.Alice with { Groups = [WordMasker.RevealedGroup] };
        var context = Calls.Context(Listing(), ListRequest(), caller: investigator);

        await Pipeline().RunAsync(context, CancellationToken.None);

        AssertAdjusted(context.Response!);
        AssertAdjusted(_records.Single(r => r.Kind == CallRecordKind.Response).Payload!);
    }

    [Fact]
    public async Task ToolsCall_ResultCarryingAToolsField_IsNotTreatedAsAList()
    {
        var upstream = new ScriptedUpstream("bank", (request, _, _) =>
            Task.FromResult(JsonRpc.Result(request["id"], Json.Object("{'tools':[{'name':'x','outputSchema':{'type':'object'}}],'content':[]}"))));
        var context = Calls.Context(upstream);

        await Pipeline().RunAsync(context, CancellationToken.None);

        Assert.Null(context.Response!["result"]!["tools"]![0]!["outputSchema"]!["x-adjusted-for"]);
    }

    [Fact]
    public void Adjust_MaskerCannotAdjust_ListsTheToolWithoutAnOutputSchema()
    {
        var response = JsonRpc.Result(1, Json.Object("{'tools':[{'name':'search','inputSchema':{'type':'object'},'outputSchema':{'type':'object'}}]}"));

        ListedToolSchemas.Adjust(response, "bank", new GivingUpMasker());

        var tool = response["result"]!["tools"]![0]!.AsObject();
        Assert.False(tool.ContainsKey("outputSchema"));
        Assert.Equal("object", (string?)tool["inputSchema"]!["type"]);
    }

    private static void AssertAdjusted(JsonObject message)
    {
        var tools = message["result"]!["tools"]!.AsArray();
        Assert.Equal("bank/search", (string?)tools[0]!["outputSchema"]!["x-adjusted-for"]);
        Assert.Null(tools[0]!["inputSchema"]!["x-adjusted-for"]); // arguments reach the upstream unmasked: its contract stands
        Assert.False(tools[1]!.AsObject().ContainsKey("outputSchema")); // none given, none invented
        Assert.Equal("bank/transfer", (string?)tools[2]!["outputSchema"]!["x-adjusted-for"]);
    }

    private static JsonObject ListRequest() => Json.Object("{'jsonrpc':'2.0','id':3,'method':'tools/list','params':{}}");

    private static ScriptedUpstream Listing() => new("bank", (request, _, _) => Task.FromResult(JsonRpc.Result(request["id"], Json.Object(
        "{'tools':[" +
        "{'name':'search','inputSchema':{'type':'object'},'outputSchema':{'type':'object','properties':{'dob':{'type':'string','format':'date'}}}}," +
        "{'name':'statement','inputSchema':{'type':'object'}}," +
        "{'name':'transfer','inputSchema':{'type':'object'},'outputSchema':{'type':'object'}}]}"))));

    private CallPipeline Pipeline() =>
        new([new MaskStage(_masker), new RecordStage(new Recorder(_records)), new ForwardStage()], NullLogger<CallPipeline>.Instance);

    private sealed class Recorder(List<CallRecord> records) : ICallRecorder
    {
        public ValueTask RecordAsync(CallRecord record, CancellationToken cancellationToken)
        {
            records.Add(record);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class GivingUpMasker : IPayloadMasker
    {
        public MaskedPayload Mask(JsonObject message, MaskingScope scope, IReadOnlyList<string>? revealTo) => throw new NotSupportedException();

        public bool RevealsAnythingTo(IReadOnlyList<string> groups) => false;

        public JsonNode? AdjustOutputSchema(JsonNode schema, MaskingScope scope) => null;
    }
}
