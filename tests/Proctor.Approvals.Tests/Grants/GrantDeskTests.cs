using Microsoft.Extensions.Time.Testing;
using Proctor.Approvals.Evidence;
using Proctor.Approvals.Grants;
using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Tests.Grants;

public sealed class GrantDeskTests
{
    private static readonly Approver Sam = new("idp|sam", "sam", ["supervisors"]);
    private static readonly Approver Sue = new("idp|sue", "sue", ["supervisors"]);
    private static readonly ApprovalActor Via = new("x") { Via = "rest" };

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryGrantStore _store = new();
    private readonly GrantEventList _events = new();

    private GrantDesk Desk() => new(_store, _events, _time, new GrantLimits(TimeSpan.FromHours(8), TimeSpan.FromHours(1), TimeSpan.FromHours(24)));

    private static GrantDraft Draft(TimeSpan? duration = null) => new("idp|ana", "ana", "bank", ["run_sql"], duration ?? TimeSpan.FromHours(2), "CHG-1")
    {
        Rule = "sql-under-grant", PolicyHash = "p", ApproverGroups = ["supervisors"], MinApprovals = 1,
    };

    [Fact]
    public async Task Request_LedgerCannotRecord_NothingStored()
    {
        _events.Failing = true;

        await Assert.ThrowsAsync<IOException>(() => Desk().RequestAsync(Draft(), Via, default));

        Assert.Empty(await _store.ListAsync(new GrantQuery(), default));
    }

    [Fact]
    public async Task Approve_LedgerCannotRecord_GrantStaysPending_AndChangedNotRaised()
    {
        var desk = Desk();
        var id = (await desk.RequestAsync(Draft(), Via, default)).Grant!.Id;
        var raised = 0;
        desk.Changed += _ => raised++;
        _events.Failing = true;

        await Assert.ThrowsAsync<IOException>(() => desk.DecideAsync(id, Sam, Via, approve: true, null, default));

        Assert.Equal((GrantState.Pending, 0), ((await _store.FindAsync(id, default))!.State, raised));
    }

    [Fact]
    public async Task Decide_ConcurrentApproveAndDeny_ExactlyOneOutcomeStored()
    {
        var desk = Desk();
        var id = (await desk.RequestAsync(Draft(), Via, default)).Grant!.Id;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => desk.DecideAsync(id, i % 2 == 0 ? Sam : Sue, Via, approve: i % 2 == 0, $"{i}", default))));

        var winner = Assert.Single(outcomes, o => o.Succeeded);
        Assert.Equal(winner.Grant!.State, (await _store.FindAsync(id, default))!.State);
    }

    [Fact]
    public async Task BreakGlass_ActiveAtOnce_RecordsBreakGlassThenReviewBeforeStoring_OverTheMaximumRefused()
    {
        var desk = Desk();

        var tooLong = await desk.BreakGlassAsync(Draft(TimeSpan.FromHours(2)), Via, default);
        var outcome = await desk.BreakGlassAsync(Draft(TimeSpan.FromMinutes(30)), Via, default);

        Assert.Equal("too_long", tooLong.Refusal?.Code);
        Assert.Equal(GrantState.Active, outcome.Grant!.State);
        Assert.True(GrantRules.Covers(outcome.Grant, "idp|ana", "bank", "run_sql", _time.GetUtcNow()));
        Assert.Equal([GrantEventKind.BreakGlass, GrantEventKind.ReviewOpened], _events.Events.Select(e => e.Kind));
        Assert.Equal(1, await _store.CountOpenReviewsAsync(default));
        Assert.Equal("self_approval", (await desk.CloseReviewAsync(outcome.Review!.Id, new Approver("idp|ana", "ana", ["supervisors"]), Via, "fine", default)).Refusal?.Code);
        Assert.True((await desk.CloseReviewAsync(outcome.Review.Id, Sam, Via, "checked", default)).Succeeded);
        Assert.Equal(0, await _store.CountOpenReviewsAsync(default));
    }

    [Fact]
    public async Task ExpireDue_ActiveGrantPastItsEnd_RecordedAndMarked_AndChangedRaised()
    {
        var desk = Desk();
        var id = (await desk.RequestAsync(Draft(), Via, default)).Grant!.Id;
        await desk.DecideAsync(id, Sam, Via, approve: true, null, default);
        AccessGrant? changed = null;
        desk.Changed += g => changed = g;

        _time.Advance(TimeSpan.FromHours(2));
        var expired = await desk.ExpireDueAsync(default);

        Assert.Equal(1, expired);
        Assert.Equal(GrantState.Expired, changed?.State);
        Assert.Equal(GrantEventKind.Expired, _events.Events[^1].Kind);
    }

    [Fact]
    public void ActiveGrants_Replace_ReportsStartsAndEndsOnly()
    {
        var now = _time.GetUtcNow();
        var grant = GrantRules.BreakGlass(Draft(TimeSpan.FromMinutes(10)), "g1", now);
        var grants = new ActiveGrants();

        var started = grants.Replace([grant], now);
        var unchanged = grants.Replace([grant], now.AddMinutes(1));
        var ended = grants.Replace([grant], now.AddMinutes(10));

        Assert.Equal([new GrantChange("idp|ana", "bank")], started);
        Assert.Empty(unchanged);
        Assert.Equal([new GrantChange("idp|ana", "bank")], ended);
        Assert.Null(grants.Covering("idp|ana", "bank", "run_sql", now.AddMinutes(10)));
    }
}
