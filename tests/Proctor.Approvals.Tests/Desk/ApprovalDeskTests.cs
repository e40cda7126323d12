using Microsoft.Extensions.Time.Testing;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Approvals.Signals;
using Proctor.Approvals.Tests.Rules;

namespace Proctor.Approvals.Tests.Desk;

/// <summary>The desk over a store and a recorder: events before changes, fail closed, one request per call, one run per approval.</summary>
public sealed class ApprovalDeskTests
{
    private static readonly ApprovalActor Alice = new("alice") { Issuer = "https://idp", Via = "mcp", SessionId = "s1" };

    private static readonly Approver Bob = new("https://idp|bob", "bob", ["supervisors"]);

    private static readonly ApprovalActor BobActor = new("bob") { Issuer = "https://idp", Via = "rest" };

    private readonly FakeTimeProvider _time = new(ApprovalScenarios.Created);
    private readonly MemoryApprovalStore _store = new();
    private readonly ListRecorder _recorder = new();
    private readonly InProcessApprovalSignals _signals = new();
    private readonly ApprovalDesk _desk;

    public ApprovalDeskTests() => _desk = new ApprovalDesk(_store, _recorder, _signals, _time, ApprovalScenarios.Validity);

    private static ApprovalDraft Draft(CallBinding? binding = null) =>
        new(binding ?? ApprovalScenarios.Approved, "alice", ["supervisors"], 1, "{\"amount\":15000}") { Justification = "quarter close", Reason = "Transfers above $10,000 need approval." };

    [Fact]
    public async Task Open_NewCall_RecordsTheRequestThenStoresItPending()
    {
        var request = await _desk.OpenAsync(Draft(), Alice, "call-1", default);

        var recorded = Assert.Single(_recorder.Events);
        Assert.Equal((ApprovalEventKind.Requested, "call-1", request.Id), (recorded.Kind, recorded.CallId, recorded.Request.Id));
        Assert.Equal(ApprovalState.Pending, (await _store.FindAsync(request.Id, default))!.State);
        Assert.Equal(ApprovalScenarios.Created + ApprovalScenarios.Validity, request.ExpiresAt);
        Assert.Equal(("quarter close", 1L), (request.Justification, request.Version));
    }

    [Fact]
    public async Task Open_SameCallAgain_ReusesThePendingRequest_OtherArgumentsMakeANewOne()
    {
        var first = await _desk.OpenAsync(Draft(), Alice, "call-1", default);

        var again = await _desk.OpenAsync(Draft(), Alice, "call-2", default);
        var other = await _desk.OpenAsync(Draft(ApprovalScenarios.Approved with { ArgumentsDigest = "d2" }), Alice, "call-3", default);

        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(2, _recorder.Events.Count);
    }

    [Fact]
    public async Task Open_PendingPastItsWindow_MakesANewRequest()
    {
        var first = await _desk.OpenAsync(Draft(), Alice, "call-1", default);
        _time.Advance(ApprovalScenarios.Validity);

        var second = await _desk.OpenAsync(Draft(), Alice, "call-2", default);

        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task Open_LedgerCannotRecord_NothingStored()
    {
        _recorder.Failing = true;

        await Assert.ThrowsAsync<IOException>(() => _desk.OpenAsync(Draft(), Alice, "call-1", default));

        Assert.Empty(await _store.ListAsync(new Store.ApprovalQuery(), default));
    }

    [Fact]
    public async Task Decide_Approve_RecordsThenStores_AndWakesTheHeldCall()
    {
        var request = await _desk.OpenAsync(Draft(), Alice, "call-1", default);
        var woken = _signals.WaitAsync(request.Id, default);

        var decision = await _desk.DecideAsync(request.Id, Bob, BobActor, approve: true, "fine", default);

        Assert.Equal(ApprovalState.Approved, decision.Request!.State);
        Assert.Equal(ApprovalEventKind.Approved, _recorder.Events[^1].Kind);
        Assert.Equal("bob", _recorder.Events[^1].Actor.Subject);
        Assert.True(woken.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Decide_LedgerCannotRecord_RequestUnchanged()
    {
        var request = await _desk.OpenAsync(Draft(), Alice, "call-1", default);
        _recorder.Failing = true;

        await Assert.ThrowsAsync<IOException>(() => _desk.DecideAsync(request.Id, Bob, BobActor, approve: true, null, default));

        Assert.Equal(ApprovalState.Pending, (await _store.FindAsync(request.Id, default))!.State);
    }

    [Fact]
    public async Task Decide_RequesterApproves_RefusedAndNothingRecorded()
    {
        var request = await _desk.OpenAsync(Draft(), Alice, "call-1", default);

        var decision = await _desk.DecideAsync(request.Id, new Approver(request.Binding.Identity, "alice", ["supervisors"]), Alice with { Via = "rest" }, approve: true, null, default);

        Assert.Equal(ApprovalRefusal.SelfApproval, decision.Refusal!.Code);
        Assert.Single(_recorder.Events);
    }

    [Fact]
    public async Task Decide_UnknownId_Refused()
    {
        var decision = await _desk.DecideAsync("nope", Bob, BobActor, approve: false, null, default);

        Assert.Equal(ApprovalRefusal.Unknown, decision.Refusal!.Code);
    }

    [Fact]
    public async Task Use_ManyIdenticalCallsAtOnce_ExactlyOneRuns()
    {
        for (var round = 0; round < 20; round++)
        {
            var binding = ApprovalScenarios.Approved with { ArgumentsDigest = $"round-{round}" };
            var request = await _desk.OpenAsync(Draft(binding), Alice, "held", default);
            var approved = (await _desk.DecideAsync(request.Id, Bob, BobActor, approve: true, null, default)).Request!;

            var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => _desk.UseAsync(approved, binding, Alice, $"call-{i}", default))));

            var used = Assert.Single(runs, r => r is not null)!;
            Assert.Equal(ApprovalState.Used, used.State);
            Assert.Single(_recorder.Events, e => e.Kind == ApprovalEventKind.Used && e.Request.Id == request.Id);
        }
    }

    [Fact]
    public async Task Use_AnotherCall_NotAuthorized()
    {
        var request = await _desk.OpenAsync(Draft(), Alice, "held", default);
        var approved = (await _desk.DecideAsync(request.Id, Bob, BobActor, approve: true, null, default)).Request!;

        Assert.Null(await _desk.UseAsync(approved, ApprovalScenarios.Approved with { Tool = "other" }, Alice, "call-1", default));
        _time.Advance(ApprovalScenarios.Validity);
        Assert.Null(await _desk.UseAsync(approved, ApprovalScenarios.Approved, Alice, "call-2", default));
    }

    [Fact]
    public async Task Use_LedgerCannotRecord_ApprovalStaysUsableForTheRetry()
    {
        var request = await _desk.OpenAsync(Draft(), Alice, "held", default);
        var approved = (await _desk.DecideAsync(request.Id, Bob, BobActor, approve: true, null, default)).Request!;
        _recorder.Failing = true;

        await Assert.ThrowsAsync<IOException>(() => _desk.UseAsync(approved, ApprovalScenarios.Approved, Alice, "call-1", default));

        _recorder.Failing = false;
        var stored = (await _store.FindAsync(request.Id, default))!;
        Assert.Equal(ApprovalState.Approved, stored.State);
        Assert.NotNull(await _desk.UseAsync(stored, ApprovalScenarios.Approved, Alice, "call-2", default));
    }

    [Fact]
    public async Task ExpireDue_PastTheWindow_RecordsAndMarksExpired_AndWakesTheHeldCall()
    {
        var request = await _desk.OpenAsync(Draft(), Alice, "held", default);
        var woken = _signals.WaitAsync(request.Id, default);
        Assert.Equal(0, await _desk.ExpireDueAsync(default));

        _time.Advance(ApprovalScenarios.Validity);

        Assert.Equal(1, await _desk.ExpireDueAsync(default));
        Assert.Equal(ApprovalState.Expired, (await _store.FindAsync(request.Id, default))!.State);
        Assert.Equal((ApprovalEventKind.Expired, "proctor:gateway"), (_recorder.Events[^1].Kind, _recorder.Events[^1].Actor.Subject));
        Assert.True(woken.IsCompletedSuccessfully);
    }
}
