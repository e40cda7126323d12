using Proctor.Policy.Decisions;
using static Proctor.Policy.Tests.BankPolicy;

namespace Proctor.Policy.Tests.Decisions;

/// <summary>The worked example of docs/policy.md, decision by decision.</summary>
public sealed class BankPolicyTests
{
    [Fact]
    public void Analyst_SearchesCustomers_Allowed()
    {
        var decision = Model.Decide(Analyst, "bank", "search_customers", """{"query": "garcia"}""");

        Assert.Equal((PolicyEffect.Allow, "analysts-read-customers", PolicyReasonCodes.Allowed, 0), (decision.Effect, decision.RuleId, decision.ReasonCode, decision.RuleIndex));
        Assert.Equal(Model.Hash, decision.PolicyHash);
    }

    [Fact]
    public void Analyst_RunSql_HiddenAndDeniedByDefault()
    {
        var decision = Model.Decide(Analyst, "bank", "run_sql", """{"query": "select 1"}""");

        Assert.False(Model.Visible(Analyst, "bank", "run_sql"));
        Assert.Equal((PolicyEffect.Deny, "default-deny", PolicyReasonCodes.NotAllowed, -1), (decision.Effect, decision.RuleId, decision.ReasonCode, decision.RuleIndex));
        Assert.Equal("No policy rule allows you to use tool 'run_sql' on server 'bank'. Ask your gateway administrator for access to it.", decision.Message);
    }

    [Fact]
    public void Supervisor_RunSqlWithMfaInBusinessHours_Allowed() =>
        Assert.Equal("supervisors-run-sql", Model.Decide(Supervisor, "bank", "run_sql", """{"query": "select 1"}""").RuleId);

    [Fact]
    public void Supervisor_RunSqlWithoutMfa_ListedButRefusedNamingMfa()
    {
        var decision = Model.Decide(SupervisorWithoutMfa, "bank", "run_sql", """{"query": "select 1"}""");

        Assert.True(Model.Visible(SupervisorWithoutMfa, "bank", "run_sql"));
        Assert.Equal((PolicyEffect.Deny, "supervisors-run-sql", PolicyReasonCodes.MfaRequired), (decision.Effect, decision.RuleId, decision.ReasonCode));
        Assert.Equal("Policy rule 'supervisors-run-sql' needs a multi-factor sign-in; your token's authentication methods (amr) are: pwd. Sign in again with MFA and use the new token.", decision.Message);
        Assert.Equal("https://wiki.bank.example/sql-access", decision.Link);
    }

    [Fact]
    public void Supervisor_RunSqlAtNight_HiddenAndDenied()
    {
        Assert.False(Model.Visible(Supervisor, "bank", "run_sql", Policies.Night));
        Assert.Equal(PolicyReasonCodes.NotAllowed, Model.Decide(Supervisor, "bank", "run_sql", "{}", Policies.Night).ReasonCode);
    }

    [Fact]
    public void Analyst_SmallTransfer_Allowed() =>
        Assert.Equal("transfers-up-to-10k", Model.Decide(Analyst, "bank", "transfer_funds", """{"from_account": "1", "to_account": "2", "amount": 250.00}""").RuleId);

    [Fact]
    public void Analyst_TransferAboveThreshold_NeedsApprovalBySupervisors()
    {
        var decision = Model.Decide(Analyst, "bank", "transfer_funds", """{"from_account": "1", "to_account": "2", "amount": 15000}""");

        Assert.Equal((PolicyEffect.Approve, "transfers-above-10k-need-approval", PolicyReasonCodes.ApprovalRequired), (decision.Effect, decision.RuleId, decision.ReasonCode));
        Assert.Equal("Transfers above $10,000 need a supervisor's approval.", decision.Message);
        Assert.Equal(["bank-supervisors"], decision.Approval!.Approvers);
        Assert.Equal(1, decision.Approval.MinApprovals);
    }

    [Fact]
    public void Analyst_TransferWithoutAmount_RefusedAsAConditionError()
    {
        var decision = Model.Decide(Analyst, "bank", "transfer_funds", """{"from_account": "1", "to_account": "2"}""");

        // Both transfer rules fail; among condition errors an approve rule is cited before an allow rule.
        Assert.Equal((PolicyEffect.Deny, "transfers-above-10k-need-approval", PolicyReasonCodes.ConditionError), (decision.Effect, decision.RuleId, decision.ReasonCode));
        Assert.Equal("Policy rule 'transfers-above-10k-need-approval' could not evaluate its condition (no such key: 'amount'), so the call is refused. Check the arguments; if they are right, tell the policy's owner.", decision.Message);
    }

    [Fact]
    public void Analyst_TransferAtNight_DeniedByTheWindowRule()
    {
        var decision = Model.Decide(Analyst, "bank", "transfer_funds", """{"amount": 10}""", Policies.Night);

        Assert.Equal((PolicyEffect.Deny, "transfers-in-business-hours-only", PolicyReasonCodes.Denied), (decision.Effect, decision.RuleId, decision.ReasonCode));
        Assert.Equal("Transfers run on weekdays from 08:00 to 18:00, New York time.", decision.Message);
        Assert.False(Model.Visible(Analyst, "bank", "transfer_funds", Policies.Night));
    }

    [Fact]
    public void ReportingAgent_ReadsButCannotTransfer_EvenThroughItsGroup()
    {
        Assert.Equal("analysts-read-customers", Model.Decide(ReportingAgent, "bank", "get_customer", """{"customer_id": "C00001"}""").RuleId);
        Assert.Equal("reporting-agent-reads", Model.Decide(ReportingAgent, "bank", "get_health", "{}").RuleId);
        Assert.True(Model.Visible(ReportingAgent, "bank", "get_customer"));
        Assert.False(Model.Visible(ReportingAgent, "bank", "transfer_funds"));
        Assert.False(Model.Visible(ReportingAgent, "bank", "generate_statement"));
        Assert.Equal("agents-read-only", Model.Decide(ReportingAgent, "bank", "transfer_funds", """{"amount": 1}""").RuleId);
    }

    [Fact]
    public void Analyst_PromptsAndResources_CoveredByKind()
    {
        var prompt = Model.Decide(new PolicyRequest(Analyst, PolicyTarget.Prompt("bank", "investigate_customer"), null, Policies.WorkingHours));
        var resource = Model.Decide(new PolicyRequest(Analyst, PolicyTarget.Resource("bank", "bank://customers/C00001"), null, Policies.WorkingHours));
        var nested = Model.Decide(new PolicyRequest(Analyst, PolicyTarget.Resource("bank", "bank://customers/C00001/notes"), null, Policies.WorkingHours));
        var asTool = Model.Decide(Analyst, "bank", "investigate_customer");

        Assert.Equal((true, true, false, false), (prompt.IsAllowed, resource.IsAllowed, nested.IsAllowed, asTool.IsAllowed));
    }

    [Fact]
    public void Explain_Transfer_ListsEveryRuleWithItsReason()
    {
        var explanation = Model.Explain(new PolicyRequest(Analyst, PolicyTarget.Tool("bank", "transfer_funds"), System.Text.Json.Nodes.JsonNode.Parse("""{"amount": 15000}"""), Policies.WorkingHours));

        Assert.Equal("transfers-above-10k-need-approval", explanation.Decision.RuleId);
        Assert.Equal(
            [
                "analysts-read-customers: target (covers other servers or names)",
                "supervisors-run-sql: target (covers other servers or names)",
                "transfers-up-to-10k: condition-false (condition args.amount <= 10000 is false)",
                "transfers-above-10k-need-approval: matched (applies: condition args.amount > 10000 is true)",
                "transfers-in-business-hours-only: time (applies outside time window 'business-hours' (America/New_York), not at 2026-03-04T19:00:00.0000000+00:00)",
                "agents-read-only: subject (is for other callers than 'alice')",
                "reporting-agent-reads: target (covers other servers or names)",
            ],
            explanation.Rules.Select(r => $"{r.Id}: {PolicyExplanation.OutcomeName(r.Outcome)} ({r.Detail})"));
        Assert.Equal("approve", explanation.ToJson()["decision"]!["effect"]!.GetValue<string>());
    }
}
