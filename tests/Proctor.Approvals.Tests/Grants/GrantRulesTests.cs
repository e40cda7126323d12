using Proctor.Approvals.Grants;
using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Tests.Grants;

public sealed class GrantRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly Approver Holder = new("idp|ana", "ana", ["analysts", "supervisors"]);
    private static readonly Approver Sup1 = new("idp|sam", "sam", ["supervisors"]);
    private static readonly Approver Sup2 = new("idp|sue", "sue", ["supervisors"]);

    [Fact]
    public void Approve_ByTheHolder_IsRefusedEvenInTheApproverGroup()
    {
        var refusal = GrantRules.WhyNotDecide(Pending(), Holder, Start);

        Assert.Equal("self_approval", refusal?.Code);
        Assert.Throws<InvalidOperationException>(() => GrantRules.Approve(Pending(), Holder, Start, null, "cli"));
    }

    [Fact]
    public void Approve_TwiceBySamePerson_CountsOnce_AndTwoDistinctActivate()
    {
        var once = GrantRules.Approve(Pending(minApprovals: 2), Sup1, Start, null, "cli");

        Assert.Equal("already_approved", GrantRules.WhyNotDecide(once, Sup1, Start)?.Code);
        Assert.Equal(GrantState.Pending, once.State);
        var twice = GrantRules.Approve(once, Sup2, Start.AddMinutes(1), null, "rest");
        Assert.Equal(GrantState.Active, twice.State);
        Assert.Equal(Start.AddMinutes(1).AddHours(2), twice.ExpiresAt);
    }

    [Fact]
    public void Covers_AtTheInstantItExpires_IsFalse_AndOneTickBeforeIsTrue()
    {
        var active = GrantRules.Approve(Pending(), Sup1, Start, null, "cli");

        Assert.True(GrantRules.Covers(active, Holder.Identity, "bank", "run_sql", Start.AddHours(2).AddTicks(-1)));
        Assert.False(GrantRules.Covers(active, Holder.Identity, "bank", "run_sql", Start.AddHours(2)));
    }

    [Fact]
    public void Revoke_ByHolderOrApprover_StopsCoverage_ByAnyoneElse_IsRefused()
    {
        var active = GrantRules.Approve(Pending(), Sup1, Start, null, "cli");
        var outsider = new Approver("idp|oz", "oz", ["analysts"]);

        Assert.Equal("not_an_approver", GrantRules.WhyNotRevoke(active, outsider, Start)?.Code);
        Assert.Null(GrantRules.WhyNotRevoke(active, Holder, Start));
        var revoked = GrantRules.Revoke(active, Sup2, Start.AddMinutes(5), "done", "rest");
        Assert.False(GrantRules.Covers(revoked, Holder.Identity, "bank", "run_sql", Start.AddMinutes(5)));
        Assert.Equal("not_pending", GrantRules.WhyNotRevoke(revoked, Sup2, Start.AddMinutes(6))?.Code);
    }

    [Fact]
    public void Covers_OtherIssuerSameSubject_IsFalse()
    {
        var active = GrantRules.Approve(Pending(), Sup1, Start, null, "cli");

        Assert.False(GrantRules.Covers(active, "other-idp|ana", "bank", "run_sql", Start));
    }

    [Fact]
    public void CloseReview_ByHolder_IsRefused_WithoutComment_IsRefused_ByOtherApprover_Closes()
    {
        var review = new AccessReview
        {
            Id = "r1", GrantId = "g1", Identity = Holder.Identity, Holder = "ana", Server = "bank", Tools = ["run_sql"], Reason = "INC-1",
            ReviewerGroups = ["supervisors"], OpenedAt = Start,
        };

        Assert.Equal("self_approval", GrantRules.WhyNotClose(review, Holder, "fine")?.Code);
        Assert.Equal("invalid_request", GrantRules.WhyNotClose(review, Sup1, " ")?.Code);
        var closed = GrantRules.Close(review, Sup1, Start.AddHours(1), "checked", "cli");
        Assert.False(closed.IsOpen);
        Assert.Equal("not_pending", GrantRules.WhyNotClose(closed, Sup2, "again")?.Code);
    }

    [Theory]
    [InlineData("", "no reason")]
    [InlineData("INC-1", "no tool")]
    public void Request_Malformed_IsRefused(string reason, string what)
    {
        var draft = new GrantDraft("i|u", "u", "bank", what == "no tool" ? [] : ["run_sql"], TimeSpan.FromHours(1), reason) { Rule = "r", PolicyHash = "p", ApproverGroups = ["s"], MinApprovals = 1 };

        Assert.Equal("invalid_request", GrantRules.WhyNotRequest(draft, new GrantLimits(TimeSpan.FromHours(8), TimeSpan.FromHours(1), TimeSpan.FromDays(1)), breakGlass: true)?.Code);
    }

    private static AccessGrant Pending(int minApprovals = 1) => new()
    {
        Id = "g1", Identity = Holder.Identity, Holder = "ana", Server = "bank", Tools = ["run_sql"], Reason = "CHG-1", Duration = TimeSpan.FromHours(2),
        Rule = "sql-under-grant", PolicyHash = "sha256:p", ApproverGroups = ["supervisors"], MinApprovals = minApprovals, CreatedAt = Start, DecideBy = Start.AddDays(1),
    };
}
