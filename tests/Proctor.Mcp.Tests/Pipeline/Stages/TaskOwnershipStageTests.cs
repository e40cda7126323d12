using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tasks;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

/// <summary>Decision 0043: a task is reached only by the caller whose tools/call created it, on the upstream that made it.</summary>
public sealed class TaskOwnershipStageTests
{
    private static readonly Caller Bob = new("bob", "test", IPAddress.Loopback, null, "2025-11-25");
    private static readonly Caller ModernAlice = Calls.Alice with { ProtocolVersion = ProtocolVersions.Modern };
    private readonly FakeTimeProvider _time = new();
    private readonly TaskBindings _bindings;
    private readonly List<string> _forwarded = [];

    public TaskOwnershipStageTests() => _bindings = new TaskBindings(_time, NullLogger<TaskBindings>.Instance);

    /// <summary>The answer a tools/call gets: SEP-2663's flat CreateTaskResult, or 2025-11-25's nested one.</summary>
    public static TheoryData<string> CreatedShapes => new()
    {
        "{'resultType':'task','taskId':'t-1','status':'working','ttlMs':60000}",
        "{'task':{'taskId':'t-1','status':'working','ttl':60000}}",
    };

    private static readonly string[] TaskMethods = ["tasks/get", "tasks/update", "tasks/cancel", "tasks/result"];

    [Theory]
    [MemberData(nameof(CreatedShapes))]
    public async Task Invoke_TaskCreatedByAlice_EveryTaskMethodOfBobRefusedUnknown_AlicesForwarded(string created)
    {
        await RunAsync(CallTool(), Calls.Alice, answer: created);

        foreach (var method in TaskMethods)
        {
            var bobs = await RunAsync(TaskRequest(method, "t-1"), Bob);
            var alices = await RunAsync(TaskRequest(method, "t-1"), Calls.Alice);

            Assert.Equal(ReasonCodes.TaskUnknown, bobs.Refusal?.ReasonCode);
            Assert.Equal(JsonRpcErrorCodes.InvalidParams, (int)bobs.Response!["error"]!["code"]!);
            Assert.Null(alices.Refusal);
            Assert.Equal("slow", alices.TaskTool);
        }

        Assert.Equal(["tools/call", "tasks/get", "tasks/update", "tasks/cancel", "tasks/result"], _forwarded); // Alice's; none of Bob's
    }

    [Fact]
    public async Task Invoke_OwnTaskNamedOnAnotherUpstream_RefusedUnknown()
    {
        await RunAsync(CallTool(), Calls.Alice, answer: "{'resultType':'task','taskId':'t-1','ttlMs':60000}");

        var elsewhere = await RunAsync(TaskRequest("tasks/get", "t-1"), Calls.Alice, upstream: "crm");

        Assert.Equal(ReasonCodes.TaskUnknown, elsewhere.Refusal?.ReasonCode);
    }

    [Fact]
    public async Task Invoke_TaskPastItsTimeToLive_RefusedUnknown_AMillisecondBeforeForwarded()
    {
        await RunAsync(CallTool(), Calls.Alice, answer: "{'resultType':'task','taskId':'t-1','ttlMs':60000}");

        _time.Advance(TimeSpan.FromMilliseconds(59_999));
        var before = await RunAsync(TaskRequest("tasks/get", "t-1"), Calls.Alice);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        var after = await RunAsync(TaskRequest("tasks/get", "t-1"), Calls.Alice);

        Assert.Null(before.Refusal);
        Assert.Equal(ReasonCodes.TaskUnknown, after.Refusal?.ReasonCode);
    }

    [Fact]
    public async Task Invoke_AnswerWithATaskIdTheCallerHoldsOnAnotherUpstream_Withheld()
    {
        await RunAsync(CallTool(), Calls.Alice, answer: "{'resultType':'task','taskId':'t-1','ttlMs':60000}");

        var captured = await RunAsync(CallTool(), Calls.Alice, answer: "{'resultType':'task','taskId':'t-1','ttlMs':60000}", upstream: "crm");
        var sameUpstreamAgain = await RunAsync(CallTool(), Calls.Alice, answer: "{'resultType':'task','taskId':'t-1','ttlMs':60000}");

        Assert.Equal(ReasonCodes.TaskIdConflict, captured.Refusal?.ReasonCode);
        Assert.DoesNotContain("t-1", captured.Response!.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(sameUpstreamAgain.Refusal);
    }

    [Fact]
    public async Task Invoke_ModernRequestNotDeclaringTheExtension_MissingCapability_DeclaringForwarded()
    {
        await RunAsync(CallTool(), ModernAlice, answer: "{'resultType':'task','taskId':'t-1','ttlMs':60000}");

        var undeclared = await RunAsync(TaskRequest("tasks/get", "t-1", declare: false), ModernAlice);
        var declared = await RunAsync(TaskRequest("tasks/get", "t-1", declare: true), ModernAlice);

        Assert.Equal(ReasonCodes.TaskExtensionNotDeclared, undeclared.Refusal?.ReasonCode);
        Assert.Equal(JsonRpcErrorCodes.MissingClientCapability, (int)undeclared.Response!["error"]!["code"]!);
        Assert.NotNull(undeclared.Response["error"]!["data"]!["requiredCapabilities"]!["extensions"]![TaskMessages.ExtensionId]);
        Assert.Null(declared.Refusal);
    }

    [Fact]
    public async Task Invoke_TasksList_RefusedNotForwarded()
    {
        var list = await RunAsync(Json.Object("{'jsonrpc':'2.0','id':3,'method':'tasks/list','params':{}}"), Calls.Alice);

        Assert.Equal(ReasonCodes.TaskListNotRelayed, list.Refusal?.ReasonCode);
        Assert.Equal(JsonRpcErrorCodes.MethodNotFound, (int)list.Response!["error"]!["code"]!);
        Assert.Empty(_forwarded);
    }

    [Fact]
    public async Task Invoke_OwnersTaskGet_ResultMaskedUnderTheCreatingToolsScope_AnUnrelatedCallUnderNoTool()
    {
        var masker = new ScopeRecordingMasker();
        await RunAsync(CallTool(), Calls.Alice, answer: "{'resultType':'task','taskId':'t-1','ttlMs':60000}");

        await RunAsync(TaskRequest("tasks/get", "t-1"), Calls.Alice, masker: masker);
        var taskScopes = masker.Scopes.ToArray();
        masker.Scopes.Clear();
        await RunAsync(Json.Object("{'jsonrpc':'2.0','id':4,'method':'resources/list','params':{}}"), Calls.Alice, masker: masker);

        Assert.NotEmpty(taskScopes);
        Assert.All(taskScopes, scope => Assert.Equal(new MaskingScope("bank", "slow"), scope));
        Assert.All(masker.Scopes, scope => Assert.Null(scope.Tool));
    }

    [Fact]
    public async Task Invoke_OrdinaryToolAnswer_BindsNothing()
    {
        await RunAsync(CallTool(), Calls.Alice, answer: "{'content':[{'type':'text','text':'taskId t-1'}],'taskId':'t-1'}");

        Assert.Equal(0, _bindings.Count);
    }

    private async Task<CallContext> RunAsync(JsonObject request, Caller caller, string answer = "{'resultType':'complete'}", string upstream = "bank", IPayloadMasker? masker = null)
    {
        var scripted = new ScriptedUpstream(upstream, (r, _, _) =>
        {
            _forwarded.Add(JsonRpc.Method(r)!);
            return Task.FromResult(JsonRpc.Result(r["id"], Json.Object(answer)));
        });
        var context = new CallContext
        {
            Caller = caller,
            Upstream = scripted,
            Method = JsonRpc.Method(request)!,
            Target = (request["params"]?["name"] ?? request["params"]?["taskId"])?.ToString(),
            Request = request,
            Sink = DetachedCallSink.Instance,
            Timeout = TimeSpan.FromSeconds(30),
        };
        ICallStage[] stages = masker is null
            ? [new TaskOwnershipStage(_bindings), new ForwardStage()]
            : [new TaskOwnershipStage(_bindings), new MaskStage(masker), new ForwardStage()];
        var pipeline = new CallPipeline(stages, NullLogger<CallPipeline>.Instance);
        await pipeline.RunAsync(context, CancellationToken.None);
        return context;
    }

    /// <summary>Masks nothing; keeps the scope of every message it was asked to mask.</summary>
    private sealed class ScopeRecordingMasker : IPayloadMasker
    {
        public List<MaskingScope> Scopes { get; } = [];

        public MaskedPayload Mask(JsonObject message, MaskingScope scope, IReadOnlyList<string>? revealTo)
        {
            Scopes.Add(scope);
            return new MaskedPayload(message.DeepClone().AsObject(), new Dictionary<string, int>(), null);
        }

        public bool RevealsAnythingTo(IReadOnlyList<string> groups) => false;

        public JsonNode? AdjustOutputSchema(JsonNode schema, MaskingScope scope) => schema;
    }

    private static JsonObject CallTool() => Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'slow','arguments':{}}}");

    private static JsonObject TaskRequest(string method, string taskId, bool declare = true)
    {
        var extensions = declare ? $"'{TaskMessages.ExtensionId}':{{}}" : "";
        return Json.Object($"{{'jsonrpc':'2.0','id':2,'method':'{method}','params':{{'taskId':'{taskId}','_meta':{{'io.modelcontextprotocol/clientCapabilities':{{'extensions':{{{extensions}}}}}}}}}}}");
    }
}
