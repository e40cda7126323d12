using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>
/// Tasks (SEP-2663) through the gateway, decision 0043: a task belongs to the caller whose tools/call created it.
/// Two identities of a real OpenID provider share the conformance fixture, which serves the tasks extension and
/// knows nothing of callers (it answers tasks/get for any id): whatever keeps Bob out of Alice's task is the gateway.
/// </summary>
public sealed class TaskIsolationTests(IsolationProvider identities) : IClassFixture<IsolationProvider>, IAsyncLifetime
{
    private const string Extension = "io.modelcontextprotocol/tasks";
    private ConformanceFixture _fixture = null!;
    private GatewayUnderTest _gateway = null!;
    private string _resource = "";

    public async Task InitializeAsync()
    {
        _fixture = await ConformanceFixture.StartAsync();
        (_gateway, _resource) = await Identity.IdentityGateway.StartGatewayTrustingAsync(identities.Provider, $$"""
              conformance:
                url: "{{_fixture.Endpoint}}"
                era: modern
            """);
    }

    public static TheoryData<string> TaskMethods => new() { "tasks/get", "tasks/update", "tasks/cancel" };

    [Theory]
    [MemberData(nameof(TaskMethods))]
    public async Task OtherCallersTask_AnyTaskMethod_UnknownLikeATaskThatNeverExisted_AndTheTaskIsUntouched(string method)
    {
        var taskId = await CreateTaskAsync("analyst", seconds: 60, label: "long");

        var bobs = await SendAsync("supervisor", method, taskId);
        var nobodys = await SendAsync("supervisor", method, "a-task-that-never-existed");

        Assert.Equal(-32602, (int?)bobs["error"]?["code"]);
        Assert.Equal("task.unknown", (string?)bobs["error"]?["data"]?["reason"]);
        Assert.Equal(nobodys["error"]?["code"]?.ToJsonString(), bobs["error"]?["code"]?.ToJsonString()); // Bob learns nothing from the id
        Assert.Equal(nobodys["error"]?["data"]?.ToJsonString(), bobs["error"]?["data"]?.ToJsonString());
        var alices = await SendAsync("analyst", "tasks/get", taskId);
        Assert.Equal("working", (string?)alices["result"]?["status"]); // Bob's cancel did not reach it
        Assert.Equal(taskId, (string?)alices["result"]?["taskId"]);
    }

    [Fact]
    public async Task OwnTask_GetThenCancel_ReachesTheUpstream()
    {
        var taskId = await CreateTaskAsync("analyst", seconds: 60, label: "long");

        var ack = await SendAsync("analyst", "tasks/cancel", taskId);
        var after = await SendAsync("analyst", "tasks/get", taskId);

        Assert.Equal("complete", (string?)ack["result"]?["resultType"]);
        Assert.Equal("cancelled", (string?)after["result"]?["status"]);
    }

    [Fact]
    public async Task AggregateRoute_TaskCreatedThroughMcp_OwnerReachesItWithoutNamingTheServer_OthersUnknown()
    {
        var taskId = await CreateTaskAsync("analyst", seconds: 60, label: "aggregate", aggregate: true);

        var alices = await SendAsync("analyst", "tasks/get", taskId, aggregate: true);
        var bobs = await SendAsync("supervisor", "tasks/get", taskId, aggregate: true);
        var onItsServer = await SendAsync("analyst", "tasks/get", taskId);

        Assert.Equal("working", (string?)alices["result"]?["status"]);
        Assert.Equal("task.unknown", (string?)bobs["error"]?["data"]?["reason"]);
        Assert.Equal(-32602, (int?)bobs["error"]?["code"]);
        Assert.Equal(taskId, (string?)onItsServer["result"]?["taskId"]);
    }

    [Fact]
    public async Task TaskMethod_WithoutTheExtensionDeclared_MissingCapability_EvenForTheOwner()
    {
        var taskId = await CreateTaskAsync("analyst", seconds: 60, label: "long");

        var answer = await SendAsync("analyst", "tasks/get", taskId, declare: false);

        Assert.Equal(-32021, (int?)answer["error"]?["code"]);
        Assert.Equal("task.extension_not_declared", (string?)answer["error"]?["data"]?["reason"]);
        Assert.NotNull(answer["error"]?["data"]?["requiredCapabilities"]?["extensions"]?[Extension]);
    }

    [Fact]
    public async Task TaskResult_CarryingAnSsn_DeliveredAndRecordedMasked_WhileTheUpstreamHeldItInClear()
    {
        const string ssn = "514-24-1098";
        const string masked = "***-**-1098"; // the default rule for SSNs keeps the last four (docs/masking.md)
        var taskId = await CreateTaskAsync("analyst", seconds: 0, label: $"SSN {ssn}");

        JsonObject delivered = [];
        await Eventually.TrueAsync(async () =>
        {
            delivered = await SendAsync("analyst", "tasks/get", taskId);
            return (string?)delivered["result"]?["status"] == "completed";
        }, TimeSpan.FromSeconds(15));
        var direct = await DirectGetAsync(taskId);

        Assert.Contains(ssn, direct, StringComparison.Ordinal); // the upstream's result really carries it
        var text = (string?)delivered["result"]?["result"]?["content"]?[0]?["text"];
        Assert.Contains(masked, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ssn, delivered.ToJsonString(), StringComparison.Ordinal);
        var events = await LedgerEvents.ReadAsync(_gateway.DatabasePath);
        Assert.Contains(events, e => LedgerEvents.Method(e) == "tasks/get" && e.ToJsonString().Contains(masked, StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.ToJsonString().Contains(ssn, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TasksList_NotRelayed_MethodNotFound()
    {
        var answer = await SendAsync("analyst", "tasks/list", null);

        Assert.Equal(-32601, (int?)answer["error"]?["code"]);
    }

    private async Task<string> CreateTaskAsync(string client, int seconds, string label, bool aggregate = false)
    {
        var tool = aggregate ? "conformance__slow_compute" : "slow_compute";
        var body = Request("tools/call", new JsonObject { ["name"] = tool, ["arguments"] = new JsonObject { ["seconds"] = seconds, ["label"] = label } }, declare: true);
        var (_, answer) = await RawMcp.PostAsync(Endpoint(aggregate), body, await HeadersAsync(client, "tools/call", tool));
        Assert.Equal("task", (string?)answer?["result"]?["resultType"]);
        return (string)answer!["result"]!["taskId"]!;
    }

    private Uri Endpoint(bool aggregate) => aggregate ? _gateway.Mcp() : _gateway.Mcp("conformance");

    private async Task<JsonObject> SendAsync(string client, string method, string? taskId, bool declare = true, bool aggregate = false)
    {
        var parameters = new JsonObject();
        if (taskId is not null)
        {
            parameters["taskId"] = taskId;
        }

        if (method == "tasks/update")
        {
            parameters["inputResponses"] = new JsonObject();
        }

        var (_, answer) = await RawMcp.PostAsync(Endpoint(aggregate), Request(method, parameters, declare), await HeadersAsync(client, method, taskId));
        return answer!;
    }

    /// <summary>tasks/get straight to the fixture, which binds tasks to no one.</summary>
    private async Task<string> DirectGetAsync(string taskId)
    {
        var (_, answer) = await RawMcp.PostAsync(_fixture.Endpoint, Request("tasks/get", new JsonObject { ["taskId"] = taskId }, declare: true), RawMcp.Modern("tasks/get", taskId));
        return answer!.ToJsonString();
    }

    private async Task<Dictionary<string, string>> HeadersAsync(string client, string method, string? name)
    {
        var headers = RawMcp.Modern(method, name);
        headers["Authorization"] = $"Bearer {await identities.Provider.TokenAsync(client, _resource)}";
        return headers;
    }

    private static string Request(string method, JsonObject parameters, bool declare)
    {
        var extensions = declare ? new JsonObject { [Extension] = new JsonObject() } : [];
        parameters["_meta"] = new JsonObject
        {
            ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
            ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject { ["extensions"] = extensions },
            ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "raw", ["version"] = "1" },
        };
        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters }.ToJsonString();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _fixture.DisposeAsync();
    }
}
