using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Authorization;
using Proctor.Mcp.Tests.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

public sealed class AuthorizeStageTests
{
    private static readonly ScriptedUpstream Bank = ScriptedUpstream.Answering("bank");

    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 4, 19, 0, 0, TimeSpan.Zero));

    private static async Task<(CallContext Context, int NextRuns)> RunAsync(string request, Caller caller, string policy = TestPolicies.Bank)
    {
        var next = new Calls.RecordingNext();
        var context = Calls.Context(Bank, Json.Object(request), caller);
        await new AuthorizeStage(TestPolicies.InForce(policy), null, Time, NullLogger<AuthorizeStage>.Instance).InvokeAsync(context, next.Invoke, CancellationToken.None);
        return (context, next.Runs);
    }

    private static string Call(string tool, string args = "{}") =>
        $"{{'jsonrpc':'2.0','id':7,'method':'tools/call','params':{{'name':'{tool}','arguments':{args}}}}}";

    [Fact]
    public async Task Invoke_AllowedTool_RunsNextAndCarriesTheDecision()
    {
        var (context, runs) = await RunAsync(Call("search_customers"), TestPolicies.Analyst);

        Assert.Equal(1, runs);
        Assert.Null(context.Refusal);
        Assert.Equal(("allow", "analysts-search", ReasonCodes.PolicyAllowed), (context.Decision!.Effect, context.Decision.Rule, context.Decision.ReasonCode));
        Assert.Equal(TestPolicies.InForce().Current.Model.Hash, context.Decision.PolicyHash);
    }

    [Fact]
    public async Task Invoke_NoRuleAllows_RefusesByDefaultDenyAndDoesNotRunNext()
    {
        var (context, runs) = await RunAsync(Call("run_sql"), TestPolicies.Analyst);

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.PolicyNotAllowed, context.Refusal!.ReasonCode);
        Assert.Equal(JsonRpcErrorCodes.Refused, (int)context.Response!["error"]!["code"]!);
        Assert.Equal("default-deny", (string?)context.Response["error"]!["data"]!["rule"]);
        Assert.Equal(("deny", "default-deny"), (context.Decision!.Effect, context.Decision.Rule));
        Assert.Contains("tool 'run_sql' on server 'bank'", context.Refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_DenyRule_RefusesNamingTheRuleItsMessageAndLink()
    {
        var (context, runs) = await RunAsync(Call("transfer_funds", "{'amount':5,'to':'GL-1'}"), TestPolicies.Analyst);

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.PolicyDenied, context.Refusal!.ReasonCode);
        Assert.Equal("Transfers to general-ledger accounts are not allowed through the gateway. (policy rule 'no-gl-transfers') To ask for access: https://wiki.bank.example/gl-transfers",
            context.Refusal.Message);
        var data = context.Response!["error"]!["data"]!;
        Assert.Equal(("policy.denied", "no-gl-transfers", "https://wiki.bank.example/gl-transfers"), ((string?)data["reason"], (string?)data["rule"], (string?)data["link"]));
    }

    [Fact]
    public async Task Invoke_ArgumentsChangeTheDecision_OnlyThroughTheCondition()
    {
        var (small, smallRuns) = await RunAsync(Call("transfer_funds", "{'amount':250,'to':'ACC-1'}"), TestPolicies.Analyst);
        var (big, bigRuns) = await RunAsync(Call("transfer_funds", "{'amount':25000,'to':'ACC-1'}"), TestPolicies.Analyst);

        Assert.Equal((1, 1), (smallRuns, bigRuns));
        Assert.Null(small.ApprovalRequired);
        Assert.Equal(ReasonCodes.PolicyApprovalRequired, big.Decision!.ReasonCode);
        Assert.NotNull(big.ApprovalRequired);
    }

    [Fact]
    public async Task Invoke_ApproveRuleOnATool_PassesOnToApproveWithWhoMustApprove()
    {
        var (context, runs) = await RunAsync(Call("transfer_funds", "{'amount':25000}"), TestPolicies.Analyst);

        Assert.Equal(1, runs);
        Assert.Null(context.Refusal);
        Assert.Equal(("approve", "big-transfers", ReasonCodes.PolicyApprovalRequired), (context.Decision!.Effect, context.Decision.Rule, context.Decision.ReasonCode));
        Assert.Equal(["supervisors"], context.ApprovalRequired!.Approval!.Approvers);
        Assert.Equal(1, context.ApprovalRequired.Approval.MinApprovals);
        Assert.Equal("Transfers above $10,000 need a supervisor's approval.", context.ApprovalRequired.Message);
    }

    [Fact]
    public async Task Invoke_ApproveRuleOnAPrompt_RefusedSinceOnlyToolCallsAreHeld()
    {
        const string policy = """
            rules:
              - { id: risky-prompt, effect: approve, subjects: { groups: [analysts] }, targets: { servers: [bank], prompts: [investigate] }, approval: { approvers: [supervisors] } }
            """;

        var (context, runs) = await RunAsync("{'jsonrpc':'2.0','id':1,'method':'prompts/get','params':{'name':'investigate'}}", TestPolicies.Analyst, policy);

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.PolicyApprovalRequired, context.Refusal!.ReasonCode);
        Assert.Equal("Approval required: This call needs approval by someone else first (policy rule 'risky-prompt'). This needs 1 approval(s) from supervisors (policy rule 'risky-prompt'), but only a tool call can be held for approval, so this request was refused. Ask the policy's owner to make the rule target tools only.",
            context.Refusal.Message);
    }

    [Fact]
    public async Task Invoke_RuleNeedsScopes_RefusesWithThatRulesScopesOnly()
    {
        var supervisorWithoutScope = TestPolicies.Supervisor with { Scopes = ["openid", "bank.read"] };

        var (context, runs) = await RunAsync(Call("run_sql"), supervisorWithoutScope);

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.PolicyInsufficientScope, context.Refusal!.ReasonCode);
        Assert.Equal("[\"sql.run\"]", context.Response!["error"]!["data"]!["scopes"]!.ToJsonString());
    }

    [Fact]
    public async Task Invoke_AgentKeyCaller_MatchesRulesNamingTheKey()
    {
        var (allowed, allowedRuns) = await RunAsync(Call("search_customers"), TestPolicies.Nightly);
        var (refused, refusedRuns) = await RunAsync(Call("transfer_funds", "{'amount':1}"), TestPolicies.Nightly);

        Assert.Equal((1, 0), (allowedRuns, refusedRuns));
        Assert.Equal("agents-read", allowed.Decision!.Rule);
        Assert.Equal(ReasonCodes.PolicyNotAllowed, refused.Refusal!.ReasonCode);
    }

    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'prompts/get','params':{'name':'investigate'}}", "analysts-search")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'resources/read','params':{'uri':'bank://customers/42'}}", "analysts-search")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'prompts/get','params':{'name':'secrets'}}", "default-deny")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'resources/read','params':{'uri':'bank://ledger/gl'}}", "default-deny")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'completion/complete','params':{'ref':{'type':'ref/prompt','name':'secrets'},'argument':{'name':'a','value':'b'}}}", "default-deny")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'vendor/export','params':{}}", "default-deny")]
    public async Task Invoke_PromptsResourcesAndOtherMethods_AreDecidedByTheirTarget(string request, string rule)
    {
        var (context, runs) = await RunAsync(request, TestPolicies.Analyst);

        Assert.Equal(rule, context.Decision!.Rule);
        Assert.Equal(rule == "default-deny" ? 0 : 1, runs);
    }

    [Theory]
    [InlineData("logging/setLevel", "{'level':'info'}")]
    [InlineData("resources/unsubscribe", "{'uri':'bank://ledger/gl'}")]
    public async Task Invoke_MethodsThatNameNothing_PassWithoutARule(string method, string parameters)
    {
        var (context, runs) = await RunAsync($"{{'jsonrpc':'2.0','id':1,'method':'{method}','params':{parameters}}}", TestPolicies.Analyst);

        Assert.Equal(1, runs);
        Assert.Equal(("allow", null, ReasonCodes.PolicyNotApplicable), (context.Decision!.Effect, context.Decision.Rule, context.Decision.ReasonCode));
    }

    [Fact]
    public async Task Invoke_ToolsList_FiltersTheAnswerPerCallerBeforeLaterSteps()
    {
        var upstream = new ScriptedUpstream("bank", (request, _, _) => Task.FromResult(JsonRpc.Result(request["id"], Json.Object(
            "{'tools':[{'name':'search_customers'},{'name':'run_sql'},{'name':'transfer_funds'},{'name':'TRANSFER_funds'},{'noname':1}],'nextCursor':'c2','cacheScope':'public'}"))));
        JsonObject? seenByLaterStep = null;
        var policies = TestPolicies.InForce();
        var pipeline = new CallPipeline([new AuthorizeStage(policies, null, Time, NullLogger<AuthorizeStage>.Instance), new ObservingStage(m => seenByLaterStep = m), new ForwardStage()], NullLogger<CallPipeline>.Instance);

        async Task<string[]> ListAs(Caller caller)
        {
            var context = Calls.Context(upstream, Json.Object("{'jsonrpc':'2.0','id':3,'method':'tools/list','params':{}}"), caller);
            await pipeline.RunAsync(context, CancellationToken.None);
            Assert.Equal(ReasonCodes.PolicyListFiltered, context.Decision!.ReasonCode);
            Assert.Equal("c2", (string?)context.Response!["result"]!["nextCursor"]);
            Assert.Equal("private", (string?)context.Response["result"]!["cacheScope"]);
            return [.. context.Response["result"]!["tools"]!.AsArray().Select(t => (string)t!["name"]!)];
        }

        Assert.Equal(["search_customers", "transfer_funds"], await ListAs(TestPolicies.Analyst));
        Assert.Equal(["search_customers", "run_sql", "transfer_funds"], await ListAs(TestPolicies.Supervisor with { Scopes = [] })); // listed: a scope is a step-up, the call says so
        Assert.Equal(["search_customers"], await ListAs(TestPolicies.Nightly));
        Assert.Equal("[{\"name\":\"search_customers\"}]", seenByLaterStep!["result"]!["tools"]!.ToJsonString());
    }

    [Fact]
    public async Task Invoke_ToolsList_ConditionReadsAFieldTheToolDoesNotDeclare_LoggedOnceNamingRuleToolAndFields()
    {
        var upstream = new ScriptedUpstream("bank", (request, _, _) => Task.FromResult(JsonRpc.Result(request["id"], Json.Object(
            "{'tools':[{'name':'search_customers','inputSchema':{'type':'object','properties':{'query':{}}}},{'name':'transfer_funds','inputSchema':{'type':'object','properties':{'amount':{},'to_account':{}}}}]}"))));
        var logger = new RecordingLogger<AuthorizeStage>();
        var policies = TestPolicies.InForce();
        var pipeline = new CallPipeline([new AuthorizeStage(policies, null, Time, logger), new ForwardStage()], NullLogger<CallPipeline>.Instance);

        foreach (var caller in new[] { TestPolicies.Analyst, TestPolicies.Nightly, TestPolicies.Analyst })
        {
            await pipeline.RunAsync(Calls.Context(upstream, Json.Object("{'jsonrpc':'2.0','id':3,'method':'tools/list','params':{}}"), caller), CancellationToken.None);
        }

        var (eventId, level, message) = Assert.Single(logger.Entries);
        Assert.Equal((2920, LogLevel.Warning), (eventId, level));
        Assert.True(message.StartsWith("Policy rule no-gl-transfers reads an argument that a tool of upstream bank does not declare in its inputSchema: rules[3](no-gl-transfers).condition: line 22, column 16: ", StringComparison.Ordinal), message);
        Assert.Contains("reads args.to, but tool 'transfer_funds' on server 'bank' declares no 'to' in its inputSchema (it declares: amount, to_account).", message, StringComparison.Ordinal);
        Assert.Contains(policies.Current.Model.Hash, message, StringComparison.Ordinal);
        Assert.Single(policies.InputSchemas.Current(policies.Current.Model.Hash));
    }

    [Fact]
    public async Task Invoke_PolicySwapped_TheNextCallIsDecidedByTheNewPolicy()
    {
        var policies = TestPolicies.InForce();
        var stage = new AuthorizeStage(policies, null, Time, NullLogger<AuthorizeStage>.Instance);
        var before = Calls.Context(Bank, Json.Object(Call("run_sql")), TestPolicies.Analyst);
        await stage.InvokeAsync(before, new Calls.RecordingNext().Invoke, CancellationToken.None);

        var replaced = policies.Swap(TestPolicies.Policy(TestPolicies.Bank + "\n  - { id: analysts-sql, effect: allow, subjects: { groups: [analysts] }, targets: { servers: [bank], tools: [run_sql] } }"));
        var after = Calls.Context(Bank, Json.Object(Call("run_sql")), TestPolicies.Analyst);
        await stage.InvokeAsync(after, new Calls.RecordingNext().Invoke, CancellationToken.None);

        Assert.Equal(ReasonCodes.PolicyNotAllowed, before.Refusal!.ReasonCode);
        Assert.Null(after.Refusal);
        Assert.NotEqual(replaced.Model.Hash, after.Decision!.PolicyHash);
        Assert.Equal(before.Decision!.PolicyHash, replaced.Model.Hash);
    }

    [Fact]
    public async Task Invoke_GatewayHousekeeping_PassesWithoutAPolicyQuestion()
    {
        var (context, runs) = await RunAsync("{'jsonrpc':'2.0','id':1,'method':'resources/unsubscribe','params':{'uri':'x://y'}}", Caller.Gateway("s1", "2025-11-25"), "rules: []");

        Assert.Equal(1, runs);
        Assert.Null(context.Decision!.Rule);
    }

    /// <summary>A later stage that adds a message step, to see what reaches the steps after Authorize's (Mask and Record in the gateway).</summary>
    private sealed class ObservingStage(Action<JsonObject> seen) : ICallStage
    {
        public Task InvokeAsync(CallContext context, CallDelegate next, CancellationToken cancellationToken)
        {
            context.OnMessage((_, message, _) =>
            {
                if (message.Kind == CallMessageKind.Response)
                {
                    seen(message.Original.DeepClone().AsObject());
                }

                return ValueTask.CompletedTask;
            });
            return next(context, cancellationToken);
        }
    }
}
