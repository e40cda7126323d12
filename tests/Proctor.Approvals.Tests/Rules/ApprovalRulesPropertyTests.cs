using FsCheck.Xunit;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;

namespace Proctor.Approvals.Tests.Rules;

/// <summary>
/// The invariants of approvals (decision 0037) over generated requests and histories: approvers acting (the requester
/// among them), calls trying to run (the approved one and ones differing in one member), and time passing. Each step is
/// taken the way the desk takes it: an approver acts only when <see cref="ApprovalRules.WhyNot"/> is null, a call runs
/// only when <see cref="ApprovalRules.Authorizes"/> is true.
/// </summary>
public sealed class ApprovalRulesPropertyTests
{
    private const int Cases = 500;

    [Property(Arbitrary = [typeof(ApprovalScenarios)], MaxTest = Cases)]
    public void History_NeverContainsTheRequestersOwnDecision(Scenario scenario)
    {
        var (request, _, _) = Play(scenario);

        Assert.DoesNotContain(request.Approvals, v => v.Identity == request.Binding.Identity);
        Assert.NotEqual(request.Binding.Identity, request.Denial?.Identity);
    }

    [Property(Arbitrary = [typeof(ApprovalScenarios)], MaxTest = Cases)]
    public void History_RunsAtMostOnce_OnlyTheApprovedCall_BeforeExpiry_AfterEnoughDistinctApprovers(Scenario scenario)
    {
        var (request, runs, _) = Play(scenario);

        Assert.True(runs.Count <= 1, $"{runs.Count} runs");
        foreach (var (call, at, approvers) in runs)
        {
            Assert.Equal(request.Binding, call);
            Assert.True(at < request.ExpiresAt);
            Assert.True(approvers >= request.MinApprovals);
        }

        Assert.Equal(runs.Count == 1, request.State == ApprovalState.Used);
    }

    [Property(Arbitrary = [typeof(ApprovalScenarios)], MaxTest = Cases)]
    public void History_CountsEachApproverOnce_AndOnlyMembersOfTheApproverGroups(Scenario scenario)
    {
        var (request, _, actors) = Play(scenario);

        Assert.Equal(request.Approvals.Count, ApprovalRules.DistinctApprovers(request.Approvals));
        Assert.True(request.Approvals.Count <= request.MinApprovals);
        if (request.State is ApprovalState.Approved or ApprovalState.Used)
        {
            Assert.Equal(request.MinApprovals, request.Approvals.Count);
        }

        if (request.State == ApprovalState.Pending)
        {
            Assert.True(request.Approvals.Count < request.MinApprovals);
        }

        Assert.All(actors, a => Assert.True(a.Groups.Intersect(request.ApproverGroups).Any(), $"{a.Subject} [{string.Join(",", a.Groups)}] acted"));
        Assert.All(request.Approvals, v => Assert.True(v.At < request.ExpiresAt));
    }

    [Property(Arbitrary = [typeof(ApprovalScenarios)], MaxTest = Cases)]
    public void WhyNot_TheRequesterWhateverTheirGroups_IsRefusedAsSelfApproval(ApprovalRequest request, Approver approver)
    {
        var requester = approver with { Identity = request.Binding.Identity, Groups = [.. approver.Groups, .. request.ApproverGroups] };

        Assert.Equal(ApprovalRefusal.SelfApproval, ApprovalRules.WhyNot(request, requester, ApprovalScenarios.Created)?.Code);
        Assert.Throws<InvalidOperationException>(() => ApprovalRules.Approve(request, requester, ApprovalScenarios.Created, null, "rest"));
        Assert.Throws<InvalidOperationException>(() => ApprovalRules.Deny(request, requester, ApprovalScenarios.Created, null, "rest"));
    }

    [Property(Arbitrary = [typeof(ApprovalScenarios)], MaxTest = Cases)]
    public void Authorizes_AnApprovedRequest_OnlyItsOwnCall_OnlyBeforeExpiry_OnlyOnce(ApprovalRequest pending, CallBinding call)
    {
        var request = ApproveFully(pending);
        var before = request.ExpiresAt.AddTicks(-1);

        Assert.Equal(call == request.Binding, ApprovalRules.Authorizes(request, call, before));
        Assert.False(ApprovalRules.Authorizes(request, call, request.ExpiresAt));
        Assert.False(ApprovalRules.Authorizes(request, call, request.ExpiresAt.AddDays(1)));
        var used = ApprovalRules.Use(request, request.Binding, "call-1", request.CreatedAt);
        Assert.False(ApprovalRules.Authorizes(used, call, request.CreatedAt));
        Assert.Throws<InvalidOperationException>(() => ApprovalRules.Use(used, request.Binding, "call-2", request.CreatedAt));
    }

    /// <summary>Plays the steps as the desk would; returns the request at the end, each run with its time and the approvers it had, and who approved or denied.</summary>
    private static (ApprovalRequest Request, List<(CallBinding Call, DateTimeOffset At, int Approvers)> Runs, List<Approver> Actors) Play(Scenario scenario)
    {
        var request = scenario.Request;
        var now = ApprovalScenarios.Created;
        var runs = new List<(CallBinding, DateTimeOffset, int)>();
        var actors = new List<Approver>();
        foreach (var step in scenario.Steps)
        {
            switch (step)
            {
                case ApproveStep { Approver: var approver } when ApprovalRules.WhyNot(request, approver, now) is null:
                    request = ApprovalRules.Approve(request, approver, now, null, "rest");
                    actors.Add(approver);
                    break;
                case DenyStep { Approver: var approver } when ApprovalRules.WhyNot(request, approver, now) is null:
                    request = ApprovalRules.Deny(request, approver, now, null, "cli");
                    actors.Add(approver);
                    break;
                case RunStep { Call: var call } when ApprovalRules.Authorizes(request, call, now):
                    runs.Add((call, now, ApprovalRules.DistinctApprovers(request.Approvals)));
                    request = ApprovalRules.Use(request, call, $"call-{runs.Count}", now);
                    break;
                case WaitStep { Duration: var duration }:
                    now += duration;
                    if (request.State is ApprovalState.Pending or ApprovalState.Approved && ApprovalRules.StateAt(request, now) == ApprovalState.Expired)
                    {
                        request = ApprovalRules.Expire(request, now);
                    }

                    break;
            }
        }

        return (request, runs, actors);
    }

    /// <summary>Approved by as many distinct members of its groups as it needs, none of them the requester.</summary>
    private static ApprovalRequest ApproveFully(ApprovalRequest request)
    {
        for (var i = 0; request.State == ApprovalState.Pending; i++)
        {
            request = ApprovalRules.Approve(request, new Approver($"https://idp|approver{i}", $"approver{i}", [request.ApproverGroups[0]]), request.CreatedAt, null, "rest");
        }

        return request;
    }
}
