using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Proctor.Approvals.Grants;
using Proctor.Configuration.Models;
using Proctor.Mcp.Access;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Tests.Authorization;
using Proctor.Mcp.Tests.Clients;
using Proctor.Mcp.Tests.Pipeline;
using Proctor.Mcp.Tests.Routing;
using Proctor.Storage.Sqlite.Grants;

namespace Proctor.Mcp.Tests.Access;

/// <summary><c>proctor__request_access</c> on <c>/mcp</c> (decision 0045): who sees and reaches it, and what a call does.</summary>
public sealed class RequestAccessToolTests : IDisposable
{
    private const string Policy = TestPolicies.Bank + """

          - id: sql-under-grant
            effect: grant
            subjects: { groups: [analysts] }
            targets: { servers: [bank], tools: [run_sql] }
            approval: { approvers: [supervisors] }
        """;

    private static readonly IdentitySettings Identity = new() { Roles = new Dictionary<string, IReadOnlyList<string>> { [IdentityRoles.Approver] = ["supervisors"] } };

    private static readonly Caller Anonymous = Caller.Anonymous(IPAddress.Loopback, null, "2025-11-25");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-reqtool-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));
    private readonly Events _events = new();
    private readonly Calls _calls = new();
    private readonly GrantDesk _desk;

    public RequestAccessToolTests() =>
        _desk = new GrantDesk(new SqliteGrantStore(Path.Combine(_folder.FullName, "proctor.db")), _events, _time, new GrantLimits(TimeSpan.FromHours(8), TimeSpan.FromHours(1), TimeSpan.FromHours(24)));

    public void Dispose() => _folder.Delete(recursive: true);

    public static TheoryData<string, bool, bool> Callers() => new()
    {
        // caller, identity configured, sees and reaches the tool
        { "analyst", true, true },
        { "supervisor", true, true },
        { "agent-key", true, false },
        { "anonymous", true, false },
        { "gateway", true, false },
        { "analyst", false, false }, // no identity section: nobody holds grants
    };

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task ToolsList_OnMcp_ListedExactlyToPeople(string who, bool identity, bool shown)
    {
        var listed = await SendAsync(Dispatcher(identity), CallerOf(who), "{'jsonrpc':'2.0','id':1,'method':'tools/list','params':{}}");

        var names = listed["result"]!["tools"]!.AsArray().Select(t => (string)t!["name"]!).ToArray();
        Assert.Equal(shown, names.Contains(RequestAccessTool.Name));
    }

    [Fact]
    public async Task ToolsList_Listed_SchemaNamesTheFourRequiredArgumentsAndTicket()
    {
        var listed = await SendAsync(Dispatcher(), TestPolicies.Analyst, "{'jsonrpc':'2.0','id':1,'method':'tools/list','params':{}}");

        var schema = listed["result"]!["tools"]!.AsArray().Single(t => (string)t!["name"]! == RequestAccessTool.Name)!["inputSchema"]!;
        Assert.Equal(["server", "tools", "duration", "reason", "ticket"], schema["properties"]!.AsObject().Select(p => p.Key));
        Assert.Equal(["server", "tools", "duration", "reason"], schema["required"]!.AsArray().Select(n => (string)n!));
    }

    [Theory]
    [MemberData(nameof(Callers))]
    public async Task ToolsCall_OnlyPeopleReachIt_OthersGetTheUnknownToolError(string who, bool identity, bool reaches)
    {
        var dispatcher = Dispatcher(identity);
        var caller = CallerOf(who);

        var answer = await SendAsync(dispatcher, caller, Call("'server':'bank','tools':['run_sql'],'duration':'2h','reason':'CHG-1'"));
        var unknown = await SendAsync(dispatcher, caller, "{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'proctor__no_such_tool','arguments':{}}}");

        if (reaches)
        {
            // The supervisor reaches it too; the grant rule names analysts only, so the answer is an error result, not the unknown-tool error.
            Assert.Equal((true, false), (answer["result"]?["content"] is JsonArray, answer.ContainsKey("error")));
        }
        else
        {
            Assert.Equal(unknown["error"]!["code"]!.ToJsonString(), answer["error"]?["code"]?.ToJsonString());
            Assert.Equal(unknown["error"]!["data"]!.ToJsonString(), answer["error"]!["data"]!.ToJsonString());
            Assert.Empty(_events.Recorded);
            Assert.Empty(_calls.Records);
        }
    }

    [Fact]
    public async Task ToolsCall_OnAServerRoute_NotAnsweredByTheGateway()
    {
        var request = new ClientRequest(new Route("bank"), Json.Object(Call("'server':'bank','tools':['run_sql'],'duration':'2h','reason':'CHG-1'")), TestPolicies.Analyst, new RecordingClientChannel(), null);

        var answer = await Dispatcher().HandleAsync(request, CancellationToken.None);

        Assert.Equal(ReasonCodes.UnknownServer, (string?)answer["error"]?["data"]?["reason"]);
        Assert.Empty(_events.Recorded);
    }

    [Fact]
    public async Task ToolsCall_GrantRuleTool_RequestsThroughTheDesk_MasksTheReason_AndRecordsTheCall()
    {
        var answer = await SendAsync(Dispatcher(), TestPolicies.Analyst,
            Call($"'server':'bank','tools':['run_sql'],'duration':'1h30m','reason':'customer {WordMasker.Ssn} disputes','ticket':'CHG-7'"));

        var result = answer["result"]!;
        var id = (string)result["structuredContent"]!["id"]!;
        var stored = (await _desk.Store.FindAsync(id, CancellationToken.None))!;
        Assert.Equal((GrantState.Pending, TimeSpan.FromMinutes(90), "customer [SSN] disputes", "sql-under-grant"), (stored.State, stored.Duration, stored.Reason, stored.Rule));
        Assert.Equal("pending", (string?)result["structuredContent"]!["state"]);
        Assert.Contains($"proctor access approve {id} --token", (string)result["content"]![0]!["text"]!, StringComparison.Ordinal);
        Assert.Contains("supervisors", (string)result["content"]![0]!["text"]!, StringComparison.Ordinal);
        var recorded = Assert.Single(_events.Recorded);
        Assert.Equal((GrantEventKind.Requested, "mcp", "ann"), (recorded.Kind, recorded.Actor.Via, recorded.Actor.Subject));
        Assert.Equal([CallRecordKind.Request, CallRecordKind.Response], _calls.Records.Select(r => r.Kind));
        Assert.All(_calls.Records, r => Assert.Equal((RequestAccessTool.Server, "request_access", McpMethods.ToolsCall), (r.Server, r.Target, r.Method)));
        Assert.DoesNotContain(WordMasker.Ssn, _calls.Records[0].Payload!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(_calls.Records[0].CallId, _calls.Records[1].CallId);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "'server':'bank','tools':['search_customers'],'duration':'2h','reason':'r'", "not_grantable" }, // allowed outright, no grant rule
        { "'server':'crm','tools':['run_sql'],'duration':'2h','reason':'r'", "not_grantable" },             // unknown server
        { "'server':'bank','tools':['drop_tables'],'duration':'2h','reason':'r'", "not_grantable" },        // unknown tool
        { "'server':'bank','tools':['run_sql'],'duration':'9h','reason':'r'", "too_long" },                 // above access.maxDuration (8h here)
        { "'server':'bank','tools':['run_sql'],'duration':'soon','reason':'r'", "30m, 2h or 1h30m" },
        { "'server':'bank','tools':['run_sql'],'duration':'0m','reason':'r'", "30m, 2h or 1h30m" },
        { "'server':'bank','tools':['run_sql'],'duration':'2h'", "Pass {" },                                 // no reason
        { "'server':'bank','tools':[],'duration':'2h','reason':'r'", "Pass {" },
        { "'server':'bank','tools':[1],'duration':'2h','reason':'r'", "Pass {" },
        { "'server':'bank','tools':['run_sql'],'duration':'2h','reason':'r','ticket':7", "Pass {" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task ToolsCall_Refused_ErrorResultSaysWhy_NothingRequested_CallStillRecorded(string arguments, string expected)
    {
        var answer = await SendAsync(Dispatcher(), TestPolicies.Analyst, Call(arguments));

        Assert.Equal(true, (bool?)answer["result"]?["isError"]);
        Assert.Contains(expected, (string)answer["result"]!["content"]![0]!["text"]!, StringComparison.Ordinal);
        Assert.Empty(_events.Recorded);
        Assert.Empty(await _desk.Store.ListAsync(new GrantQuery(), CancellationToken.None));
        Assert.Equal(2, _calls.Records.Count);
    }

    [Fact]
    public async Task ToolsCall_LedgerCannotRecordTheCall_RefusedAndNothingRequested()
    {
        _calls.Failing = true;

        var answer = await SendAsync(Dispatcher(), TestPolicies.Analyst, Call("'server':'bank','tools':['run_sql'],'duration':'2h','reason':'CHG-1'"));

        Assert.Equal(ReasonCodes.LedgerUnavailable, (string?)answer["error"]?["data"]?["reason"]);
        Assert.Empty(await _desk.Store.ListAsync(new GrantQuery(), CancellationToken.None));
    }

    private McpDispatcher Dispatcher(bool identity = true) =>
        Gateways.Dispatcher([], access: new RequestAccessTool(_desk, TestPolicies.InForce(Policy), new WordMasker(), _calls, identity ? Identity : null, _time));

    private static Caller CallerOf(string who) => who switch
    {
        "analyst" => TestPolicies.Analyst,
        "supervisor" => TestPolicies.Supervisor,
        "agent-key" => TestPolicies.Nightly,
        "anonymous" => Anonymous,
        _ => Caller.Gateway(null, "2025-11-25"),
    };

    private static string Call(string arguments) =>
        $"{{'jsonrpc':'2.0','id':7,'method':'tools/call','params':{{'name':'{RequestAccessTool.Name}','arguments':{{{arguments}}}}}}}";

    private static Task<JsonObject> SendAsync(McpDispatcher dispatcher, Caller caller, string message) =>
        dispatcher.HandleAsync(new ClientRequest(Route.Aggregate, Json.Object(message), caller, new RecordingClientChannel(), null), CancellationToken.None);

    private sealed class Events : IGrantRecorder
    {
        public List<GrantEvent> Recorded { get; } = [];

        public Task RecordAsync(GrantEvent grantEvent, CancellationToken cancellationToken)
        {
            Recorded.Add(grantEvent);
            return Task.CompletedTask;
        }
    }

    private sealed class Calls : ICallRecorder
    {
        public List<CallRecord> Records { get; } = [];

        public bool Failing { get; set; }

        public ValueTask RecordAsync(CallRecord record, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new RecordingFailedException("disk full");
            }

            Records.Add(record);
            return ValueTask.CompletedTask;
        }
    }
}
