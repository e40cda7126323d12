using FsCheck;
using FsCheck.Fluent;
using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Tests.Rules;

/// <summary>Something that may happen to a request: an approver acts, a call tries to run, or time passes.</summary>
public abstract record Step;

public sealed record ApproveStep(Approver Approver) : Step;

public sealed record DenyStep(Approver Approver) : Step;

public sealed record RunStep(CallBinding Call) : Step;

public sealed record WaitStep(TimeSpan Duration) : Step;

/// <summary>A request, and what happens to it, in order.</summary>
public sealed record Scenario(ApprovalRequest Request, Step[] Steps)
{
    public override string ToString() =>
        $"request by {Request.Binding.Identity} for {Request.Binding}, approvers [{string.Join(",", Request.ApproverGroups)}] x{Request.MinApprovals}, expires {Request.ExpiresAt:O}\n"
        + string.Join("\n", Steps.Select(s => "  " + s));
}

/// <summary>
/// Generators over small vocabularies, so that approvers often are the requester, share or miss the approver groups,
/// and calls often are the approved one or differ from it in one member.
/// </summary>
public static class ApprovalScenarios
{
    public static readonly DateTimeOffset Created = new(2026, 3, 4, 10, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Validity = TimeSpan.FromHours(1);

    private static readonly string[] Identities = ["https://idp|alice", "https://idp|bob", "https://idp|carol", "https://idp|dave", "https://other-idp|alice", "agent:bot"];

    private static readonly string[] Groups = ["approvers", "supervisors", "analysts", "auditors"];

    public static CallBinding Approved { get; } = new("https://idp|alice", "bank", "transfer_funds", "d1", "p1", "big-transfers");

    public static Gen<Approver> Approver() =>
        from identity in Gen.Elements(Identities)
        from groups in Gen.SubListOf(Groups)
        select new Approver(identity, identity[(identity.IndexOf('|') + 1)..], [.. groups]);

    /// <summary>The approved call, or one that differs from it in exactly one member.</summary>
    public static Gen<CallBinding> Call() => Gen.Elements(
        Approved,
        Approved,
        Approved with { Identity = "https://idp|bob" },
        Approved with { Identity = "https://other-idp|alice" },
        Approved with { Server = "crm" },
        Approved with { Tool = "transfer_funds_v2" },
        Approved with { ArgumentsDigest = "d2" },
        Approved with { PolicyHash = "p2" },
        Approved with { Rule = "other-rule" });

    public static Gen<Step> Step() => Gen.Frequency(
        (4, Approver().Select(a => (Step)new ApproveStep(a))),
        (1, Approver().Select(a => (Step)new DenyStep(a))),
        (3, Call().Select(c => (Step)new RunStep(c))),
        (1, Gen.Elements(1, 10, 30, 59, 60, 61).Select(m => (Step)new WaitStep(TimeSpan.FromMinutes(m)))));

    public static Gen<ApprovalRequest> Request() =>
        from groups in Gen.SubListOf(Groups).Where(g => g.Count > 0)
        from min in Gen.Choose(1, 3)
        select new ApprovalRequest
        {
            Id = "r1",
            Binding = Approved,
            Requester = "alice",
            ApproverGroups = [.. groups],
            MinApprovals = min,
            MaskedArguments = "{\"amount\":15000}",
            CreatedAt = Created,
            ExpiresAt = Created + Validity,
        };

    public static Arbitrary<Scenario> Scenarios() => (
        from request in Request()
        from count in Gen.Choose(0, 14)
        from steps in Gen.ArrayOf(Step(), count)
        select new Scenario(request, steps)).ToArbitrary();

    public static Arbitrary<ApprovalRequest> Requests() => Request().ToArbitrary();

    public static Arbitrary<Approver> Approvers() => Approver().ToArbitrary();

    public static Arbitrary<CallBinding> Calls() => Call().ToArbitrary();
}
