using FsCheck.Xunit;
using Proctor.Approvals.Grants;
using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Tests.Grants;

/// <summary>
/// The invariants of grants (decision 0041) over generated histories: six people in random groups (the holder among
/// them) approving, denying and revoking, time passing, and calls by every person to every tool of two servers checked
/// after each step. Each step is taken as the desk takes it: only when the rules' WhyNot… is null.
/// </summary>
public sealed class GrantRulesPropertyTests
{
    private const int Cases = 400;

    private static readonly string[] Groups = ["supervisors", "ops", "analysts"];
    private static readonly string[] Servers = ["bank", "crm"];
    private static readonly string[] Tools = ["run_sql", "transfer_funds", "get_customer"];
    private static readonly GrantLimits Limits = new(TimeSpan.FromHours(8), TimeSpan.FromHours(1), TimeSpan.FromHours(24));

    [Property(MaxTest = Cases)]
    public void History_NoSelfApproval_DistinctMofN_CoversOnlyItsScopeAndTime(int seed)
    {
        var random = new Random(seed);
        var people = Enumerable.Range(0, 6).Select(i => new Approver($"https://idp|user{i}", $"user{i}", [.. Groups.Where(_ => random.Next(2) == 0)])).ToArray();
        var holder = people[0];
        var now = new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);
        var draft = new GrantDraft(holder.Identity, holder.Subject, "bank", [.. Tools.Where(_ => random.Next(2) == 0).DefaultIfEmpty("run_sql")], TimeSpan.FromMinutes(random.Next(1, 600)), "CHG-1")
        {
            Rule = "sql-under-grant", PolicyHash = "sha256:p", ApproverGroups = [Groups[random.Next(Groups.Length)]], MinApprovals = random.Next(1, 4),
        };
        var refusal = GrantRules.WhyNotRequest(draft, Limits, breakGlass: false);
        Assert.Equal(draft.Duration > Limits.MaxDuration, refusal?.Code == "too_long");
        if (refusal is not null)
        {
            return;
        }

        var grant = new AccessGrant
        {
            Id = "g1", Identity = draft.Identity, Holder = draft.Holder, Server = draft.Server, Tools = draft.Tools, Reason = draft.Reason, Duration = draft.Duration,
            Rule = draft.Rule, PolicyHash = draft.PolicyHash, ApproverGroups = draft.ApproverGroups, MinApprovals = draft.MinApprovals, CreatedAt = now, DecideBy = now + Limits.RequestValidity,
        };
        var ended = false;
        for (var step = 0; step < 30; step++)
        {
            var person = people[random.Next(people.Length)];
            switch (random.Next(5))
            {
                case 0 or 1 when GrantRules.WhyNotDecide(grant, person, now) is null:
                    grant = GrantRules.Approve(grant, person, now, null, "rest");
                    break;
                case 2 when GrantRules.WhyNotDecide(grant, person, now) is null:
                    grant = GrantRules.Deny(grant, person, now, null, "rest");
                    break;
                case 3 when random.Next(4) == 0 && GrantRules.WhyNotRevoke(grant, person, now) is null:
                    grant = GrantRules.Revoke(grant, person, now, null, "cli");
                    break;
                default:
                    now += TimeSpan.FromMinutes(random.Next(0, 120));
                    break;
            }

            Assert.DoesNotContain(grant.Approvals, v => v.Identity == holder.Identity);
            Assert.Equal(grant.Approvals.Count, grant.Approvals.Select(v => v.Identity).Distinct().Count());
            Assert.All(grant.Approvals, v => Assert.Contains(people.Single(p => p.Identity == v.Identity).Groups, g => grant.ApproverGroups.Contains(g)));
            if (grant.State == GrantState.Denied)
            {
                Assert.NotEqual(holder.Identity, grant.Ending!.Identity);
            }

            if (grant.State == GrantState.Active)
            {
                Assert.Equal(grant.MinApprovals, grant.Approvals.Count);
                Assert.Equal(grant.Duration, grant.ExpiresAt!.Value - grant.StartsAt!.Value);
            }

            foreach (var caller in people)
            {
                foreach (var server in Servers)
                {
                    foreach (var tool in Tools)
                    {
                        var covered = GrantRules.Covers(grant, caller.Identity, server, tool, now);
                        var expected = grant.State == GrantState.Active && now < grant.ExpiresAt && caller == holder && server == grant.Server && grant.Tools.Contains(tool);
                        Assert.True(covered == expected, $"seed {seed} step {step}: {caller.Subject} {server}/{tool} at {now:O} covered={covered}, grant {GrantStates.Name(grant.State)} until {grant.ExpiresAt:O}");
                        Assert.False(covered && ended, $"seed {seed}: a grant covered a call after it was revoked or expired");
                    }
                }
            }

            ended |= grant.State is GrantState.Revoked or GrantState.Denied || (grant.State == GrantState.Active && now >= grant.ExpiresAt);
        }
    }

    [Property(MaxTest = Cases)]
    public void Request_LongerThanTheMaximum_IsRefused_AndUpToItIsNot(int minutes, bool breakGlass)
    {
        var duration = TimeSpan.FromMinutes(Math.Abs(minutes % 1000) + 1);
        var draft = new GrantDraft("i|u", "u", "bank", ["run_sql"], duration, "INC-1") { Rule = "r", PolicyHash = "p", ApproverGroups = ["ops"], MinApprovals = 1 };
        var maximum = breakGlass ? Limits.BreakGlassMaxDuration : Limits.MaxDuration;

        var refusal = GrantRules.WhyNotRequest(draft, Limits, breakGlass);

        Assert.Equal(duration > maximum, refusal is not null);
        if (refusal is not null)
        {
            Assert.Equal("too_long", refusal.Code);
            Assert.Contains(breakGlass ? "access.breakGlassMaxDuration" : "access.maxDuration", refusal.Message);
        }
    }
}
