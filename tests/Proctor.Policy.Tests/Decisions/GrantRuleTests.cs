using Proctor.Policy.Decisions;

namespace Proctor.Policy.Tests.Decisions;

/// <summary>The <c>grant</c> effect (decision 0041): between approve and allow in precedence, hidden from lists without a grant.</summary>
public sealed class GrantRuleTests
{
    private static readonly PolicyCaller Ana = Policies.User("ana", "analysts");
    private static readonly PolicyCaller Oz = Policies.User("oz", "tellers");

    private static readonly PolicyModel Model = Policies.Build("""
        rules:
          - id: analysts-read
            effect: allow
            subjects: { groups: [analysts] }
            targets: { servers: [bank], tools: ["*"] }
          - id: sql-under-grant
            effect: grant
            subjects: { groups: [analysts] }
            targets: { servers: [bank], tools: [run_sql] }
            approval: { approvers: [supervisors], minApprovals: 2 }
          - id: big-transfers
            effect: approve
            subjects: { groups: [analysts] }
            targets: { servers: [bank], tools: [run_sql] }
            condition: has(args.amount) && args.amount > 10
          - id: no-sql-at-night
            effect: deny
            subjects: { everyone: true }
            targets: { servers: [bank], tools: [run_sql] }
            condition: has(args.night)
        """);

    [Theory]
    [InlineData("{}", PolicyEffect.Grant, "sql-under-grant")]
    [InlineData("""{"amount": 50}""", PolicyEffect.Approve, "big-transfers")]
    [InlineData("""{"night": true}""", PolicyEffect.Deny, "no-sql-at-night")]
    public void Decide_GrantRuleBesideAllow_GrantBeatsAllow_ApproveAndDenyBeatGrant(string args, PolicyEffect effect, string rule)
    {
        var decision = Model.Decide(Ana, "bank", "run_sql", args);

        Assert.Equal((effect, rule), (decision.Effect, decision.RuleId));
        Assert.False(decision.IsAllowed);
    }

    [Fact]
    public void Decide_GrantRule_CarriesApproversAndReason()
    {
        var decision = Model.Decide(Ana, "bank", "run_sql", "{}");

        Assert.Equal(PolicyReasonCodes.GrantRequired, decision.ReasonCode);
        Assert.Equal(["supervisors"], decision.Approval!.Approvers);
        Assert.Equal(2, decision.Approval.MinApprovals);
        Assert.Equal("grant", PolicyExplanation.Name(decision.Effect));
    }

    [Fact]
    public void IsVisible_GrantRule_ListedOnlyWithAGrant_OtherToolsUnchanged()
    {
        var sql = PolicyTarget.Tool("bank", "run_sql");

        Assert.False(Model.IsVisible(Ana, sql, Policies.WorkingHours));
        Assert.False(Model.IsVisible(Ana, sql, Policies.WorkingHours, holdsGrant: false));
        Assert.True(Model.IsVisible(Ana, sql, Policies.WorkingHours, holdsGrant: true));
        Assert.True(Model.IsVisible(Ana, PolicyTarget.Tool("bank", "get_customer"), Policies.WorkingHours, holdsGrant: false));
        Assert.False(Model.IsVisible(Oz, sql, Policies.WorkingHours, holdsGrant: true));
    }

    [Fact]
    public void GrantRuleFor_OnlyCallersTheRuleNames_OnlyTargetsItCovers()
    {
        Assert.Equal("sql-under-grant", Model.GrantRuleFor(Ana, PolicyTarget.Tool("bank", "run_sql"))?.RuleId);
        Assert.Null(Model.GrantRuleFor(Oz, PolicyTarget.Tool("bank", "run_sql")));
        Assert.Null(Model.GrantRuleFor(Ana, PolicyTarget.Tool("bank", "get_customer")));
        Assert.Null(Model.GrantRuleFor(Ana, PolicyTarget.Tool("crm", "run_sql")));
    }

    [Fact]
    public void Build_ApprovalOnAllowRule_StillRefused_OnGrantRuleAccepted()
    {
        var errors = Policies.Errors("""
            rules:
              - id: a
                effect: allow
                subjects: { everyone: true }
                targets: { servers: [bank] }
                approval: { approvers: [x] }
            """);

        Assert.Contains(errors, e => e.Contains("only an approve or grant rule has approvers", StringComparison.Ordinal));
    }
}
