using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proctor.Approvals.Grants;
using Proctor.Mcp.Authorization;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Tests.Authorization;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

/// <summary>The Authorize stage on a policy with a <c>grant</c> rule (decision 0041), alone, with a <c>next</c> that records whether it ran.</summary>
public sealed class AuthorizeStageGrantTests
{
    private const string Policy = """
        rules:
          - id: sql-under-grant
            effect: grant
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank, crm], tools: [run_sql, export] }
            approval: { approvers: [supervisors] }
        """;

    private static readonly DateTimeOffset Start = new(2026, 3, 4, 19, 0, 0, TimeSpan.Zero);

    private static readonly Caller[] Callers =
    [
        TestPolicies.Analyst,
        TestPolicies.Supervisor,
        TestPolicies.Analyst with { Issuer = "https://other-idp.example" }, // same subject, another issuer: another person
    ];

    private static AccessGrant Active(Caller holder, string server, string tool, DateTimeOffset start, TimeSpan duration) => new()
    {
        Id = "g-" + holder.Subject, Identity = holder.Key, Holder = holder.Subject, Server = server, Tools = [tool], Reason = "CHG-1", Duration = duration,
        Rule = "sql-under-grant", PolicyHash = "p", ApproverGroups = ["supervisors"], MinApprovals = 1, CreatedAt = start, DecideBy = start,
        State = GrantState.Active, StartsAt = start, ExpiresAt = start + duration,
    };

    private static async Task<(CallContext Context, int Runs)> CallAsync(ActiveGrants grants, FakeTimeProvider time, Caller caller, string server, string tool)
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(ScriptedUpstream.Answering(server), Json.Object($"{{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{{'name':'{tool}','arguments':{{}}}}}}"), caller);
        await new AuthorizeStage(TestPolicies.InForce(Policy), null, time, NullLogger<AuthorizeStage>.Instance, grants).InvokeAsync(context, next.Invoke, CancellationToken.None);
        return (context, next.Runs);
    }

    [Fact]
    public async Task Invoke_EveryCallerServerTool_RunsOnlyForTheHoldersOwnServerAndTool()
    {
        var time = new FakeTimeProvider(Start);
        var holder = TestPolicies.Analyst;
        var grants = new ActiveGrants();
        grants.Replace([Active(holder, "bank", "run_sql", Start, TimeSpan.FromHours(1))], Start);

        foreach (var caller in Callers)
        {
            foreach (var server in new[] { "bank", "crm" })
            {
                foreach (var tool in new[] { "run_sql", "export" })
                {
                    var (context, runs) = await CallAsync(grants, time, caller, server, tool);
                    var covered = caller == holder && server == "bank" && tool == "run_sql";

                    Assert.True(runs == (covered ? 1 : 0), $"{caller.Key} {server}/{tool}: next ran {runs} time(s)");
                    Assert.Equal(covered ? ReasonCodes.AccessGranted : ReasonCodes.PolicyGrantRequired, covered ? context.Decision!.ReasonCode : context.Refusal!.ReasonCode);
                    Assert.Equal("grant", context.Decision!.Effect);
                }
            }
        }
    }

    [Fact]
    public async Task Invoke_AtTheInstantTheGrantEnds_RefusedWithoutAnyRefresh()
    {
        var time = new FakeTimeProvider(Start);
        var grants = new ActiveGrants();
        grants.Replace([Active(TestPolicies.Analyst, "bank", "run_sql", Start, TimeSpan.FromMinutes(5))], Start);

        time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        var (_, before) = await CallAsync(grants, time, TestPolicies.Analyst, "bank", "run_sql");
        time.Advance(TimeSpan.FromTicks(1));
        var (context, after) = await CallAsync(grants, time, TestPolicies.Analyst, "bank", "run_sql");

        Assert.Equal((1, 0), (before, after));
        Assert.Contains("proctor access request --server bank --tool run_sql", context.Refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_Revoked_RefusedAsSoonAsTheChangeIsApplied()
    {
        var time = new FakeTimeProvider(Start);
        var grants = new ActiveGrants();
        var grant = Active(TestPolicies.Analyst, "bank", "run_sql", Start, TimeSpan.FromHours(1));
        grants.Replace([grant], Start);

        var changes = grants.Apply(grant with { State = GrantState.Revoked }, Start);
        var (_, runs) = await CallAsync(grants, time, TestPolicies.Analyst, "bank", "run_sql");

        Assert.Equal(0, runs);
        Assert.Equal([new GrantChange(TestPolicies.Analyst.Key, "bank")], changes);
    }

    [Fact]
    public async Task Invoke_NoGrantsGiven_AGrantRuleAlwaysRefuses()
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(ScriptedUpstream.Answering("bank"), Json.Object("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'run_sql','arguments':{}}}"), TestPolicies.Analyst);

        await new AuthorizeStage(TestPolicies.InForce(Policy), null, new FakeTimeProvider(Start), NullLogger<AuthorizeStage>.Instance).InvokeAsync(context, next.Invoke, CancellationToken.None);

        Assert.Equal((0, ReasonCodes.PolicyGrantRequired), (next.Runs, context.Refusal!.ReasonCode));
    }

    [Fact]
    public void ListFilter_GrantedToolListedOnlyToItsHolder()
    {
        var grants = new ActiveGrants();
        grants.Replace([Active(TestPolicies.Analyst, "bank", "run_sql", Start, TimeSpan.FromHours(1))], Start);
        var policy = TestPolicies.InForce(Policy).Current.Model;

        string[] Listed(Caller caller)
        {
            var response = Json.Object("{'jsonrpc':'2.0','id':1,'result':{'tools':[{'name':'run_sql'},{'name':'export'}]}}");
            ListFilter.Apply("tools/list", response, policy, PolicyCallers.Of(caller, null), "bank", Start, grants, caller.Key);
            return [.. response["result"]!["tools"]!.AsArray().Select(t => (string)t!["name"]!)];
        }

        Assert.Equal(["run_sql"], Listed(TestPolicies.Analyst));
        Assert.Empty(Listed(TestPolicies.Supervisor));
        Assert.Empty(Listed(Callers[2]));
    }
}
