using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Store;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Tests.Authorization;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

/// <summary>
/// The Approve stage for 2026-07-28 callers (decision 0042) and the justification asked by elicitation in both eras:
/// input_required with the status page and a protected requestState, the retry held like a session's call, the state
/// refused when it is not exactly this call's.
/// </summary>
public sealed partial class ApproveStageTests
{
    /// <summary>A 2026-07-28 caller: no session.</summary>
    private static readonly Caller Modern = TestPolicies.Analyst with { ProtocolVersion = "2026-07-28" };

    private static readonly JsonObject UrlOnly = Json.Object("{'elicitation':{'url':{}}}");

    private static readonly JsonObject FormAndUrl = Json.Object("{'elicitation':{'form':{},'url':{}}}");

    private Task<(CallContext Context, int Runs)> ModernCallAsync(string request, JsonObject capabilities, Caller? caller = null, string policy = TestPolicies.Bank) =>
        CallAsync(request, caller ?? Modern, policy, sink: new ElicitingSink(capabilities));

    /// <summary>The retry a client sends: the same call under a new id, with the echoed state and its answers.</summary>
    private static string Retry(string request, string state, string? answers = null)
    {
        var retry = Json.Object(request);
        retry["id"] = 8;
        retry["params"]!["requestState"] = state;
        if (answers is not null)
        {
            retry["params"]!["inputResponses"] = Json.Object(answers);
        }

        return retry.ToJsonString();
    }

    private static JsonNode InputRequired(CallContext context)
    {
        var result = context.Response!["result"]!;
        Assert.Equal("input_required", (string?)result["resultType"]);
        return result;
    }

    private static string StateOf(CallContext context) => (string)InputRequired(context)["requestState"]!;

    private const string Accept = "{'proctor-approval':{'action':'accept'}}";

    [Fact]
    public async Task Invoke_ModernCallerOpeningUrls_InputRequiredWithTheStatusPageAndAState_AtOnce()
    {
        var (context, runs) = await ModernCallAsync(Transfer(), UrlOnly);

        Assert.Equal(0, runs);
        var request = await PendingRequestAsync();
        var asked = InputRequired(context)["inputRequests"]![ApprovalElicitation.StatusPageInput]!;
        Assert.Equal(("elicitation/create", "url", $"https://gateway.bank.example/approvals/{request.Id}"), ((string?)asked["method"], (string?)asked["params"]!["mode"], (string?)asked["params"]!["url"]));
        Assert.Contains(request.Id, (string)asked["params"]!["message"]!, StringComparison.Ordinal);
        Assert.StartsWith(ApprovalRequestState.Prefix, StateOf(context), StringComparison.Ordinal);
        Assert.Equal(ReasonCodes.ApprovalPending, context.Refusal!.ReasonCode);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero), _time.GetUtcNow()); // not held
        Assert.Equal([ApprovalEventKind.Requested], _recorder.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Invoke_ModernRetryAccepted_ApprovedDuringTheHold_RunsOnceWithoutTheGatewaysRound()
    {
        var (first, _) = await ModernCallAsync(Transfer(), UrlOnly);
        var request = await PendingRequestAsync();

        var held = ModernCallAsync(Retry(Transfer(), StateOf(first), Accept), UrlOnly);
        await Task.Delay(50);
        Assert.False(held.IsCompleted, "the accepted retry is held for the decision");
        await _desk.DecideAsync(request.Id, Sam, SamActor, approve: true, "ok", default);
        var (context, runs) = await held.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal((1, request.Id), (runs, context.ApprovalUsed));
        Assert.Null(context.Refusal);
        var parameters = context.Request["params"]!.AsObject();
        Assert.False(parameters.ContainsKey("requestState") || parameters.ContainsKey("inputResponses"), "the upstream must not receive the gateway's round");
        Assert.Equal([ApprovalEventKind.Requested, ApprovalEventKind.Approved, ApprovalEventKind.Used], _recorder.Events.Select(e => e.Kind));
    }

    [Fact]
    public async Task Invoke_ModernRetryAccepted_NoDecisionInTheHold_StateOnlyInputRequired_ThenTheApprovedRetryRunsOnce()
    {
        var (first, _) = await ModernCallAsync(Transfer(), UrlOnly);

        var (waited, waitedRuns) = await AdvanceUntilDoneAsync(ModernCallAsync(Retry(Transfer(), StateOf(first), Accept), UrlOnly), TimeSpan.FromSeconds(1));
        var stillWaiting = InputRequired(waited);
        var request = await PendingRequestAsync();
        await _desk.DecideAsync(request.Id, Sam, SamActor, approve: true, null, default);
        var (ran, runs) = await ModernCallAsync(Retry(Transfer(), (string)stillWaiting["requestState"]!), UrlOnly);
        var (replayed, replayedRuns) = await ModernCallAsync(Retry(Transfer(), (string)stillWaiting["requestState"]!), UrlOnly);

        Assert.Equal(0, waitedRuns);
        Assert.Null(stillWaiting["inputRequests"]); // the caller has the page already: it retries without asking its user again
        Assert.Equal((1, request.Id), (runs, ran.ApprovalUsed));
        Assert.Equal(0, replayedRuns); // a replayed state never runs the call twice: the approval was spent
        Assert.NotEqual(request.Id, (string?)InputRequired(replayed)["inputRequests"]![ApprovalElicitation.StatusPageInput]!["params"]!["url"]!.ToString().Split('/')[^1]);
    }

    [Fact]
    public async Task Invoke_ModernRetryDenied_RefusedNamingTheApprover()
    {
        var (first, _) = await ModernCallAsync(Transfer(), UrlOnly);
        var request = await PendingRequestAsync();
        await _desk.DecideAsync(request.Id, Sam, SamActor, approve: false, "not this quarter", default);

        var (context, runs) = await ModernCallAsync(Retry(Transfer(), StateOf(first), Accept), UrlOnly);

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.ApprovalDenied, context.Refusal!.ReasonCode);
        Assert.Equal(request.Id, (string?)context.Response!["error"]!["data"]!["approval"]);
    }

    [Theory]
    [InlineData("decline")]
    [InlineData("cancel")]
    public async Task Invoke_ModernCallerDeclinesThePage_NotYetResultAndTheRequestStaysPending(string action)
    {
        var (first, _) = await ModernCallAsync(Transfer(), UrlOnly);

        var (context, runs) = await ModernCallAsync(Retry(Transfer(), StateOf(first), $"{{'proctor-approval':{{'action':'{action}'}}}}"), UrlOnly);

        Assert.Equal(0, runs);
        Assert.True((bool)context.Response!["result"]!["isError"]!);
        Assert.Equal(ApprovalState.Pending, (await PendingRequestAsync()).State);
    }

    [Fact]
    public async Task Invoke_ModernRetryWithoutAnAnswer_AskedAgain()
    {
        var (first, _) = await ModernCallAsync(Transfer(), UrlOnly);

        var (context, runs) = await ModernCallAsync(Retry(Transfer(), StateOf(first)), UrlOnly);

        Assert.Equal(0, runs);
        Assert.NotNull(InputRequired(context)["inputRequests"]![ApprovalElicitation.StatusPageInput]);
    }

    [Fact]
    public async Task Invoke_ModernRetryOncePolicyAllowsTheCall_RunsWithoutTheGatewaysRound()
    {
        var (first, _) = await ModernCallAsync(Transfer(), UrlOnly);
        var allowing = TestPolicies.Bank.Replace("effect: approve", "effect: allow", StringComparison.Ordinal).Replace("approval: { approvers: [supervisors], minApprovals: 1 }", "", StringComparison.Ordinal);

        var (context, runs) = await ModernCallAsync(Retry(Transfer(), StateOf(first), Accept), UrlOnly, policy: allowing);

        Assert.Equal(1, runs);
        var parameters = context.Request["params"]!.AsObject();
        Assert.False(parameters.ContainsKey("requestState") || parameters.ContainsKey("inputResponses"), "the upstream must not receive the gateway's round");
    }

    [Fact]
    public async Task Invoke_ModernCallWithAnUpstreamsState_PassesItThroughUntouched()
    {
        var allowed = Json.Object(Transfer(amount: 50));
        allowed["params"]!["requestState"] = "upstream-state";
        allowed["params"]!["inputResponses"] = Json.Object("{'q':{'action':'accept'}}");

        var (context, runs) = await ModernCallAsync(allowed.ToJsonString(), UrlOnly);

        Assert.Equal(1, runs);
        Assert.Equal(("upstream-state", "accept"), ((string?)context.Request["params"]!["requestState"], (string?)context.Request["params"]!["inputResponses"]!["q"]!["action"]));
    }

    public static TheoryData<string> ForeignStates() => ["altered", "cut", "other arguments", "other caller", "other policy", "expired", "written under another key"];

    [Theory]
    [MemberData(nameof(ForeignStates))]
    public async Task Invoke_ModernStateNotExactlyThisCalls_RefusedAndNothingRuns_TheGenuineOneBesideItRuns(string how)
    {
        var (first, _) = await ModernCallAsync(Transfer(), UrlOnly);
        var state = StateOf(first);
        var request = await PendingRequestAsync();
        await _desk.DecideAsync(request.Id, Sam, SamActor, approve: true, null, default);
        var otherKey = new ApprovalRequestState(Enumerable.Repeat((byte)4, 32).ToArray());
        var binding = new CallBinding(Modern.Key, "bank", "transfer_funds", request.Binding.ArgumentsDigest, request.Binding.PolicyHash, request.Binding.Rule);
        var changedPolicy = TestPolicies.Bank.Replace("supervisor's approval", "supervisor's OK", StringComparison.Ordinal);

        var (refused, refusedRuns) = how switch
        {
            "altered" => await ModernCallAsync(Retry(Transfer(), state[..^2] + (state[^2] == 'A' ? "B" : "A") + state[^1], Accept), UrlOnly),
            "cut" => await ModernCallAsync(Retry(Transfer(), state[..^1], Accept), UrlOnly),
            "other arguments" => await ModernCallAsync(Retry(Transfer(amount: 25001), state, Accept), UrlOnly),
            "other caller" => await ModernCallAsync(Retry(Transfer(), state, Accept), UrlOnly, caller: Modern with { Subject = "ben" }),
            "other policy" => await ModernCallAsync(Retry(Transfer(), state, Accept), UrlOnly, policy: changedPolicy),
            "written under another key" => await ModernCallAsync(Retry(Transfer(), otherKey.Protect(new RequestStateClaims(request.Id, RequestStateRound.Waiting, _time.GetUtcNow().AddMinutes(5)), binding)), UrlOnly),
            _ => await ExpiredAsync(state),
        };

        Assert.Equal(0, refusedRuns);
        Assert.Equal(ReasonCodes.ApprovalStateInvalid, refused.Refusal!.ReasonCode);
        Assert.Equal((JsonRpcErrorCodes.InvalidParams, ReasonCodes.ApprovalStateInvalid), ((int)refused.Response!["error"]!["code"]!, (string?)refused.Response["error"]!["data"]!["reason"]));
        Assert.Contains("without requestState", (string)refused.Response["error"]!["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(_recorder.Events, e => e.Kind == ApprovalEventKind.Used);

        if (how != "expired")
        {
            var (genuine, genuineRuns) = await ModernCallAsync(Retry(Transfer(), state, Accept), UrlOnly);
            Assert.Equal((1, request.Id), (genuineRuns, genuine.ApprovalUsed));
        }
    }

    private async Task<(CallContext, int)> ExpiredAsync(string state)
    {
        _time.Advance(TimeSpan.FromMinutes(10));
        return await ModernCallAsync(Retry(Transfer(), state, Accept), UrlOnly);
    }

    [Fact]
    public async Task Invoke_ModernCallerShowingForms_AskedWhyFirst_TheRequestCarriesTheAnswerMasked()
    {
        var (asked, askedRuns) = await ModernCallAsync(Transfer(), FormAndUrl);
        var form = InputRequired(asked)["inputRequests"]![ApprovalElicitation.JustificationInput]!;
        Assert.Empty(await _desk.ListAsync(new ApprovalQuery(), default)); // no request before the answer

        var answer = $"{{'proctor-justification':{{'action':'accept','content':{{'justification':'ticket 42, customer {WordMasker.Ssn}'}}}}}}";
        var (pointed, runs) = await ModernCallAsync(Retry(Transfer(), StateOf(asked), answer), FormAndUrl);

        Assert.Equal((0, 0), (askedRuns, runs));
        Assert.Equal(("form", ReasonCodes.ApprovalJustificationRequested), ((string?)form["params"]!["mode"], asked.Refusal!.ReasonCode));
        Assert.Equal("string", (string?)form["params"]!["requestedSchema"]!["properties"]!["justification"]!["type"]);
        var request = await PendingRequestAsync();
        Assert.Equal("ticket 42, customer [SSN]", request.Justification);
        Assert.NotNull(InputRequired(pointed)["inputRequests"]![ApprovalElicitation.StatusPageInput]);
    }

    [Fact]
    public async Task Invoke_ModernCallerDeclinesTheForm_RequestMadeWithoutAReason()
    {
        var (asked, _) = await ModernCallAsync(Transfer(), FormAndUrl);

        await ModernCallAsync(Retry(Transfer(), StateOf(asked), "{'proctor-justification':{'action':'decline'}}"), FormAndUrl);

        Assert.Null((await PendingRequestAsync()).Justification);
    }

    [Fact]
    public async Task Invoke_ModernCallerSentAJustificationInMeta_NotAsked()
    {
        var (context, _) = await ModernCallAsync(Transfer(meta: ",'_meta':{'proctor/justification':'quarter close'}"), FormAndUrl);

        Assert.NotNull(InputRequired(context)["inputRequests"]![ApprovalElicitation.StatusPageInput]);
        Assert.Equal("quarter close", (await PendingRequestAsync()).Justification);
    }

    [Fact]
    public async Task Invoke_SessionCallerShowingForms_AskedOnTheStream_AnswerStoredMasked_AskedOncePerRequest()
    {
        var sink = new ElicitingSink(Json.Object("{'elicitation':{}}"), $"{{'action':'accept','content':{{'justification':'refund for {WordMasker.Ssn}'}}}}");

        await AdvanceUntilDoneAsync(CallAsync(Transfer(), sink: sink), TimeSpan.FromSeconds(1));
        await AdvanceUntilDoneAsync(CallAsync(Transfer(), sink: sink), TimeSpan.FromSeconds(1)); // waits on the same request: not asked again

        var asked = Assert.Single(sink.Requests);
        Assert.Equal("elicitation/create", (string?)asked["method"]);
        Assert.Equal("refund for [SSN]", (await PendingRequestAsync()).Justification);
    }

    [Fact]
    public async Task Invoke_SessionCallerNeverAnswersTheForm_RequestMadeWithoutAReasonWithinTheHold()
    {
        var sink = new ElicitingSink(Json.Object("{'elicitation':{'form':{}}}"), answer: null);

        var (context, runs) = await AdvanceUntilDoneAsync(CallAsync(Transfer(), sink: sink), TimeSpan.FromSeconds(1));

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.ApprovalPending, context.Refusal!.ReasonCode);
        Assert.Null((await PendingRequestAsync()).Justification);
        Assert.True(_time.GetUtcNow() - new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero) < Settings.HoldTime * 2, "the unanswered form counts against the hold");
    }

    /// <summary>A client channel with the given capabilities that answers elicitations with <paramref name="answer"/> (never, when null).</summary>
    private sealed class ElicitingSink(JsonObject capabilities, string? answer = "{'action':'decline'}") : IUpstreamCallSink
    {
        private readonly ConcurrentQueue<JsonObject> _requests = new();

        public IReadOnlyList<JsonObject> Requests => [.. _requests];

        public JsonObject ClientCapabilities { get; } = capabilities;

        public ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken)
        {
            _requests.Enqueue(request);
            if (answer is null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return JsonRpc.Result(request["id"], Json.Object(answer!));
        }
    }
}
