using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;

namespace Proctor.Approvals.Tests.Rules;

/// <summary>The rules on named cases: the refusals approvers read, and M of N step by step.</summary>
public sealed class ApprovalRulesTests
{
    private static readonly DateTimeOffset Now = ApprovalScenarios.Created;

    private static readonly Approver Bob = new("https://idp|bob", "bob", ["supervisors"]);

    private static readonly Approver Carol = new("https://idp|carol", "carol", ["supervisors", "analysts"]);

    private static ApprovalRequest Request(int minApprovals = 1) => new()
    {
        Id = "r1",
        Binding = ApprovalScenarios.Approved,
        Requester = "alice",
        ApproverGroups = ["supervisors"],
        MinApprovals = minApprovals,
        MaskedArguments = "{}",
        CreatedAt = Now,
        ExpiresAt = Now + ApprovalScenarios.Validity,
    };

    [Fact]
    public void Approve_TwoOfTwo_PendingAfterTheFirst_ApprovedAfterASecondPerson()
    {
        var once = ApprovalRules.Approve(Request(2), Bob, Now, "ok", "rest");
        Assert.Equal(ApprovalState.Pending, once.State);

        Assert.Equal(ApprovalRefusal.AlreadyApproved, ApprovalRules.WhyNot(once, Bob with { Groups = ["supervisors", "analysts"] }, Now)?.Code);

        var twice = ApprovalRules.Approve(once, Carol, Now, null, "cli");
        Assert.Equal(ApprovalState.Approved, twice.State);
        Assert.Equal(["bob", "carol"], twice.Approvals.Select(v => v.Subject));
    }

    [Fact]
    public void WhyNot_SameSubjectFromAnotherIssuer_IsAnotherPerson()
    {
        var namesake = new Approver("https://other-idp|alice", "alice", ["supervisors"]);

        Assert.Null(ApprovalRules.WhyNot(Request(), namesake, Now));
    }

    [Theory]
    [InlineData("requester", ApprovalRefusal.SelfApproval)]
    [InlineData("outsider", ApprovalRefusal.NotAnApprover)]
    [InlineData("expired", ApprovalRefusal.Expired)]
    [InlineData("denied", ApprovalRefusal.NotPending)]
    [InlineData("approved", ApprovalRefusal.NotPending)]
    public void WhyNot_Case_RefusesWithCode(string situation, string code)
    {
        var request = Request();
        var (approver, at) = situation switch
        {
            "requester" => (new Approver(request.Binding.Identity, "alice", ["supervisors"]), Now),
            "outsider" => (new Approver("https://idp|dave", "dave", ["analysts"]), Now),
            "expired" => (Carol, request.ExpiresAt),
            _ => (Carol, Now),
        };
        request = situation switch
        {
            "denied" => ApprovalRules.Deny(request, Bob, Now, null, "rest"),
            "approved" => ApprovalRules.Approve(request, Bob, Now, null, "rest"),
            _ => request,
        };

        var refusal = ApprovalRules.WhyNot(request, approver, at);

        Assert.Equal(code, refusal?.Code);
        Assert.Contains(request.Id, refusal!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhyNot_OneInstantBeforeExpiry_MayStillApprove()
    {
        var request = Request();

        Assert.Null(ApprovalRules.WhyNot(request, Bob, request.ExpiresAt.AddTicks(-1)));
    }

    [Fact]
    public void Expire_PendingPastItsWindow_Expired_ButNotBefore()
    {
        var request = Request();

        Assert.Throws<InvalidOperationException>(() => ApprovalRules.Expire(request, request.ExpiresAt.AddTicks(-1)));
        Assert.Equal(ApprovalState.Expired, ApprovalRules.Expire(request, request.ExpiresAt).State);
        var used = ApprovalRules.Use(ApprovalRules.Approve(request, Bob, Now, null, "rest"), request.Binding, "c1", Now);
        Assert.Throws<InvalidOperationException>(() => ApprovalRules.Expire(used, request.ExpiresAt));
    }
}
