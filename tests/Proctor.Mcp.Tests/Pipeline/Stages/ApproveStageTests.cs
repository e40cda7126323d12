using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Signals;
using Proctor.Approvals.Store;
using Proctor.Configuration.Models;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Stages;
using Proctor.Mcp.Tests.Authorization;
using Proctor.Mcp.Tests.Upstreams;
using Proctor.Mcp.Upstreams;
using Proctor.Storage.Sqlite.Approvals;

namespace Proctor.Mcp.Tests.Pipeline.Stages;

/// <summary>
/// The Approve stage behind Authorize, on the real SQLite store and a fake clock (no test waits for a real timer): a
/// call runs only by spending an approval for exactly itself, once; meanwhile it is held, released by a decision, or
/// answered "not yet" with the approval id.
/// </summary>
public sealed partial class ApproveStageTests : IAsyncLifetime
{
    private static readonly ScriptedUpstream Bank = ScriptedUpstream.Answering("bank");

    private static readonly Caller Ann = TestPolicies.Analyst with { SessionId = "session-1" };

    private static readonly Approver Sam = new("https://idp.example|sam", "sam", ["supervisors"]);

    private static readonly ApprovalActor SamActor = new("sam") { Issuer = "https://idp.example", Via = "rest" };

    private static readonly ApprovalSettings Settings = new() { HoldTime = TimeSpan.FromSeconds(20), Validity = TimeSpan.FromHours(1), MaxHeldCalls = 2 };

    private static readonly ApprovalRequestState StateKey = new(Enumerable.Repeat((byte)3, 32).ToArray());

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-approve-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero));
    private readonly FailingRecorder _recorder = new();
    private ApprovalDesk _desk = null!;
    private ApproveStage _stage = null!;

    public Task InitializeAsync()
    {
        _desk = new ApprovalDesk(new SqliteApprovalStore(Path.Combine(_folder.FullName, "proctor.db")), _recorder, new InProcessApprovalSignals(), _time, Settings.Validity);
        _stage = Stage();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }

    private ApproveStage Stage(ApprovalSettings? settings = null, IdentitySettings? identity = null) =>
        new(_desk, new ArgumentDigest(new byte[32]), StateKey, new WordMasker(), settings ?? Settings, identity, new Uri("https://gateway.bank.example"), _time, NullLogger<ApproveStage>.Instance);

    private static string Transfer(int amount = 25000, string extra = "", string meta = "") =>
        $"{{'jsonrpc':'2.0','id':7,'method':'tools/call','params':{{'name':'transfer_funds','arguments':{{'amount':{amount},'to':'ACC-1'{extra}}}{meta}}}}}";

    /// <summary>Authorize (on the test policy), then Approve; returns the context and how often the call went on.</summary>
    private Task<(CallContext Context, int Runs)> CallAsync(string request, Caller? caller = null, string policy = TestPolicies.Bank, ApproveStage? stage = null, IUpstreamCallSink? sink = null, CancellationToken cancellationToken = default) =>
        RunAsync(Calls.Context(Bank, Json.Object(request), caller ?? Ann, sink: sink), policy, stage ?? _stage, cancellationToken);

    private async Task<(CallContext Context, int Runs)> RunAsync(CallContext context, string policy, ApproveStage stage, CancellationToken cancellationToken = default)
    {
        var next = new Calls.RecordingNext();
        await new AuthorizeStage(TestPolicies.InForce(policy), null, _time, NullLogger<AuthorizeStage>.Instance).InvokeAsync(context, (c, ct) => stage.InvokeAsync(c, next.Invoke, ct), cancellationToken);
        return (context, next.Runs);
    }

    /// <summary>Moves the fake clock in steps until the held call answers (bounded; each step yields briefly for the hold to re-arm its timer).</summary>
    private async Task<T> AdvanceUntilDoneAsync<T>(Task<T> held, TimeSpan step)
    {
        for (var i = 0; i < 200 && !held.IsCompleted; i++)
        {
            await Task.Delay(5);
            _time.Advance(step);
        }

        return await held.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private async Task<ApprovalRequest> PendingRequestAsync()
    {
        IReadOnlyList<ApprovalRequest> pending = [];
        await Eventually.True(() => (pending = _desk.ListAsync(new ApprovalQuery(ApprovalState.Pending), default).GetAwaiter().GetResult()).Count > 0, "the held call has made its request");
        return pending[0];
    }

    [Fact]
    public async Task Invoke_NoApprovalNeeded_RunsNextUntouched()
    {
        var (context, runs) = await CallAsync(Transfer(amount: 50));

        Assert.Equal(1, runs);
        Assert.Null(context.ApprovalUsed);
        Assert.Empty(_recorder.Events);
    }

    [Fact]
    public async Task Invoke_ALaterInputRoundOfACallThatSpentItsApproval_GoesOnWithoutAnotherRequest()
    {
        var context = Calls.Context(Bank, Json.Object(Transfer()), Ann);
        context.ApprovalUsed = "spent-on-the-first-round";

        var (_, runs) = await RunAsync(context, TestPolicies.Bank, _stage);

        Assert.Equal(1, runs);
        Assert.Empty(_recorder.Events);
    }

    [Fact]
    public async Task Invoke_WhileHeld_ApproversReadTheArgumentsMaskedForTheirGroups_AfterwardsOnlyTheStoredCopy()
    {
        var held = new HeldArguments(new WordMasker());
        var stage = new ApproveStage(_desk, new ArgumentDigest(new byte[32]), StateKey, new WordMasker(), Settings, null, new Uri("https://gateway.bank.example"), _time, NullLogger<ApproveStage>.Instance, held);
        var call = CallAsync(Transfer(extra: $",'ssn':'{WordMasker.Ssn}'"), stage: stage);
        var request = await PendingRequestAsync();
        await Eventually.True(() => held.For(request.Id, []) is not null, "the held call shows its arguments");

        Assert.Equal(WordMasker.Ssn, (string?)held.For(request.Id, [WordMasker.RevealedGroup])!["ssn"]);
        Assert.Equal("[SSN]", (string?)held.For(request.Id, ["supervisors"])!["ssn"]);
        Assert.DoesNotContain(WordMasker.Ssn, request.MaskedArguments, StringComparison.Ordinal);
        var (context, runs) = await AdvanceUntilDoneAsync(call, TimeSpan.FromSeconds(1));
        Assert.Equal((0, ReasonCodes.ApprovalPending), (runs, context.Refusal!.ReasonCode));
        Assert.Null(held.For(request.Id, [WordMasker.RevealedGroup]));
    }

    [Fact]
    public async Task Invoke_NoDecisionWithinTheHold_AnswersIsErrorResultWithTheApprovalIdAndWhatToDo()
    {
        var held = CallAsync(Transfer(extra: $",'ssn':'{WordMasker.Ssn}'", meta: ",'_meta':{'proctor/justification':'quarter close'}"));

        var (context, runs) = await AdvanceUntilDoneAsync(held, TimeSpan.FromSeconds(1));

        Assert.Equal(0, runs);
        var request = await PendingRequestAsync();
        Assert.Equal(ReasonCodes.ApprovalPending, context.Refusal!.ReasonCode);
        var result = context.Response!["result"]!;
        Assert.True((bool)result["isError"]!);
        var approval = result["_meta"]![ApprovalAnswers.MetaKey]!;
        Assert.Equal((request.Id, "pending", $"https://gateway.bank.example/api/approvals/{request.Id}"), ((string?)approval["id"], (string?)approval["status"], (string?)approval["statusUrl"]));
        var text = (string)result["content"]![0]!["text"]!;
        Assert.Contains("Transfers above $10,000 need a supervisor's approval", text, StringComparison.Ordinal);
        Assert.Contains($"proctor approvals approve {request.Id}", text, StringComparison.Ordinal);
        Assert.Contains("call transfer_funds again with exactly the same arguments", text, StringComparison.Ordinal);
        Assert.Equal(("quarter close", "ann"), (request.Justification, request.Requester));
        Assert.Contains("[SSN]", request.MaskedArguments, StringComparison.Ordinal);
        Assert.DoesNotContain(WordMasker.Ssn, request.MaskedArguments, StringComparison.Ordinal);
        Assert.True(_time.GetUtcNow() >= request.CreatedAt + Settings.HoldTime);
    }

    [Fact]
    public async Task Invoke_ApprovedDuringTheHold_RunsOnce_ThenTheSameCallIsHeldAgain()
    {
        var held = CallAsync(Transfer());
        var request = await PendingRequestAsync();

        await _desk.DecideAsync(request.Id, Sam, SamActor, approve: true, "ok", default);
        var (context, runs) = await held.WaitAsync(TimeSpan.FromSeconds(10)); // woken by the signal: the clock has not moved

        Assert.Equal((1, request.Id), (runs, context.ApprovalUsed));
        Assert.Null(context.Refusal);
        Assert.Equal(ApprovalState.Used, (await _desk.FindAsync(request.Id, default))!.State);
        Assert.Equal([ApprovalEventKind.Requested, ApprovalEventKind.Approved, ApprovalEventKind.Used], _recorder.Events.Select(e => e.Kind));
        Assert.Equal(context.CallId, _recorder.Events[^1].CallId);

        var (again, againRuns) = await AdvanceUntilDoneAsync(CallAsync(Transfer()), TimeSpan.FromSeconds(1));
        Assert.Equal(0, againRuns);
        Assert.NotEqual(request.Id, (string?)again.Response!["result"]!["_meta"]![ApprovalAnswers.MetaKey]!["id"]);
    }

    [Fact]
    public async Task Invoke_ApprovedBeforeTheRetry_RunsAtOnce_OtherArgumentsOrAnotherPolicyDoNot()
    {
        var (first, _) = await AdvanceUntilDoneAsync(CallAsync(Transfer()), TimeSpan.FromSeconds(5));
        var id = (string)first.Response!["result"]!["_meta"]![ApprovalAnswers.MetaKey]!["id"]!;
        await _desk.DecideAsync(id, Sam, SamActor, approve: true, null, default);

        var (other, otherRuns) = await AdvanceUntilDoneAsync(CallAsync(Transfer(amount: 25001)), TimeSpan.FromSeconds(5));
        var (changed, changedRuns) = await AdvanceUntilDoneAsync(CallAsync(Transfer(), policy: TestPolicies.Bank.Replace("supervisor's approval", "supervisor's OK", StringComparison.Ordinal)), TimeSpan.FromSeconds(5));
        var (stranger, strangerRuns) = await AdvanceUntilDoneAsync(CallAsync(Transfer(), caller: TestPolicies.Analyst with { Subject = "ben", SessionId = "session-2" }), TimeSpan.FromSeconds(5));
        var (retry, retryRuns) = await CallAsync(Transfer());

        Assert.Equal((0, 0, 0, 1), (otherRuns, changedRuns, strangerRuns, retryRuns));
        Assert.All([other, changed, stranger], c => Assert.Equal(ReasonCodes.ApprovalPending, c.Refusal!.ReasonCode));
        Assert.Equal(id, retry.ApprovalUsed);
    }

    [Fact]
    public async Task Invoke_ApprovedAndManyIdenticalCallsAtOnce_ExactlyOneRuns()
    {
        var stage = Stage(Settings with { MaxHeldCalls = 100 });
        var (first, _) = await AdvanceUntilDoneAsync(CallAsync(Transfer(), stage: stage), TimeSpan.FromSeconds(5));
        await _desk.DecideAsync((string)first.Response!["result"]!["_meta"]![ApprovalAnswers.MetaKey]!["id"]!, Sam, SamActor, approve: true, null, default);

        var calls = Enumerable.Range(0, 6).Select(_ => Task.Run(() => CallAsync(Transfer(), stage: stage))).ToArray();
        await Eventually.True(() => calls.Count(c => c.IsCompleted) >= 1, "the call that spent the approval ran");
        var all = await AdvanceUntilDoneAsync(Task.WhenAll(calls), TimeSpan.FromSeconds(5));

        Assert.Equal(1, all.Sum(c => c.Runs));
        Assert.Single(_recorder.Events, e => e.Kind == ApprovalEventKind.Used);
    }

    [Fact]
    public async Task Invoke_DeniedDuringTheHold_RefusedNamingTheApprover()
    {
        var held = CallAsync(Transfer());
        var request = await PendingRequestAsync();

        await _desk.DecideAsync(request.Id, Sam, SamActor, approve: false, "not this quarter", default);
        var (context, runs) = await held.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.ApprovalDenied, context.Refusal!.ReasonCode);
        Assert.StartsWith("Denied by sam: not this quarter. Approval ", context.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal(request.Id, (string?)context.Response!["error"]!["data"]!["approval"]);
    }

    [Fact]
    public async Task Invoke_ClientAskedForProgress_GetsProgressWhileHeld()
    {
        var sink = new CapturingSink();

        await AdvanceUntilDoneAsync(CallAsync(Transfer(meta: ",'_meta':{'progressToken':'p-1'}"), sink: sink), TimeSpan.FromSeconds(1));

        Assert.InRange(sink.Notifications.Count, 4, 5); // at once, then every 5 s of a 20 s hold
        var progress = sink.Notifications.Select(n => (double)n["params"]!["progress"]!).ToArray();
        Assert.Equal(progress.Order(), progress);
        Assert.All(sink.Notifications, n => Assert.Equal("p-1", (string?)n["params"]!["progressToken"]));
        Assert.StartsWith("Waiting for approval ", (string?)sink.Notifications[0]["params"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_ModernEraCaller_AnsweredAtOnceWithoutHolding()
    {
        var (context, runs) = await CallAsync(Transfer(), caller: TestPolicies.Analyst);

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.ApprovalPending, context.Refusal!.ReasonCode);
        Assert.Equal(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero), _time.GetUtcNow());
    }

    [Fact]
    public async Task Invoke_MoreThanMaxHeldCalls_AnsweredAtOnceWithTheReason()
    {
        var holding = new[] { CallAsync(Transfer(amount: 20001)), CallAsync(Transfer(amount: 20002)) };
        await Eventually.True(() => _desk.ListAsync(new ApprovalQuery(ApprovalState.Pending), default).GetAwaiter().GetResult().Count == 2, "two calls are held");

        var (context, runs) = await CallAsync(Transfer(amount: 20003));

        Assert.Equal(0, runs);
        Assert.Equal(ReasonCodes.ApprovalTooManyHeld, context.Refusal!.ReasonCode);
        Assert.StartsWith("The gateway holds 2 calls for approval already (approvals.maxHeldCalls)", (string?)context.Response!["result"]!["content"]![0]!["text"], StringComparison.Ordinal);
        await AdvanceUntilDoneAsync(Task.WhenAll(holding), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Invoke_CallerCancelsWhileHeld_HoldEndsWithoutRunning_RequestStaysPending_SlotIsFreed()
    {
        using var cancel = new CancellationTokenSource();
        var held = CallAsync(Transfer(amount: 20001), cancellationToken: cancel.Token);
        var request = await PendingRequestAsync();
        var other = CallAsync(Transfer(amount: 20002));
        await Eventually.True(() => _desk.ListAsync(new ApprovalQuery(ApprovalState.Pending), default).GetAwaiter().GetResult().Count == 2, "two calls are held");

        await cancel.CancelAsync(); // notifications/cancelled or a closed connection
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => held.WaitAsync(TimeSpan.FromSeconds(10)));
        var (third, _) = await AdvanceUntilDoneAsync(CallAsync(Transfer(amount: 20003)), TimeSpan.FromSeconds(1));

        Assert.Equal(ApprovalState.Pending, (await _desk.FindAsync(request.Id, default))!.State); // an approver may still approve; a retry then runs
        Assert.Equal(ReasonCodes.ApprovalPending, third.Refusal!.ReasonCode); // held, not "too many held": the cancelled hold gave its slot back
        Assert.DoesNotContain(_recorder.Events, e => e.Kind == ApprovalEventKind.Used);
        await AdvanceUntilDoneAsync(other, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Invoke_RuleNamesNoApprovers_TheApproverRoleDecides_OrNobodyAndItIsRefused()
    {
        var policy = TestPolicies.Bank.Replace("approval: { approvers: [supervisors], minApprovals: 1 }", "", StringComparison.Ordinal);
        var identity = new IdentitySettings { Roles = new Dictionary<string, IReadOnlyList<string>> { [IdentityRoles.Approver] = ["treasury"] } };

        var (refused, refusedRuns) = await CallAsync(Transfer(), policy: policy);
        var (held, _) = await AdvanceUntilDoneAsync(CallAsync(Transfer(), policy: policy, stage: Stage(identity: identity)), TimeSpan.FromSeconds(5));

        Assert.Equal(0, refusedRuns);
        Assert.Equal(ReasonCodes.ApprovalNoApprovers, refused.Refusal!.ReasonCode);
        Assert.Equal(ReasonCodes.ApprovalPending, held.Refusal!.ReasonCode);
        Assert.Equal(["treasury"], (await PendingRequestAsync()).ApproverGroups);
    }

    [Fact]
    public async Task Invoke_LedgerCannotRecordTheRequest_RefusedAndNoRequestMade()
    {
        _recorder.Failing = true;

        var pipeline = new CallPipeline([new AuthorizeStage(TestPolicies.InForce(), null, _time, NullLogger<AuthorizeStage>.Instance), _stage, new ForwardStage()], NullLogger<CallPipeline>.Instance);
        var context = Calls.Context(Bank, Json.Object(Transfer()), Ann);
        await pipeline.RunAsync(context, default);

        Assert.Equal(ReasonCodes.LedgerUnavailable, context.Refusal!.ReasonCode);
        Assert.Empty(await _desk.ListAsync(new ApprovalQuery(), default));
    }

    [Fact]
    public async Task Forward_CallNeedingApprovalWithoutApproveStage_FailsClosed()
    {
        var pipeline = new CallPipeline([new AuthorizeStage(TestPolicies.InForce(), null, _time, NullLogger<AuthorizeStage>.Instance), new ForwardStage()], NullLogger<CallPipeline>.Instance);
        var context = Calls.Context(Bank, Json.Object(Transfer()), Ann);

        await pipeline.RunAsync(context, default);

        Assert.Equal(ReasonCodes.Fault, context.Refusal!.ReasonCode);
    }

    private sealed class FailingRecorder : IApprovalRecorder
    {
        private readonly ConcurrentQueue<ApprovalEvent> _events = new();

        public bool Failing { get; set; }

        public IReadOnlyList<ApprovalEvent> Events => [.. _events];

        public Task RecordAsync(ApprovalEvent approvalEvent, CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new LedgerUnavailableException("disk full");
            }

            _events.Enqueue(approvalEvent);
            return Task.CompletedTask;
        }
    }

    private sealed class CapturingSink : IUpstreamCallSink
    {
        private readonly ConcurrentQueue<JsonObject> _notifications = new();

        public IReadOnlyList<JsonObject> Notifications => [.. _notifications];

        public JsonObject ClientCapabilities { get; } = [];

        public ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken)
        {
            _notifications.Enqueue(notification);
            return ValueTask.CompletedTask;
        }

        public Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
