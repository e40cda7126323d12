namespace Proctor.Approvals.Rules;

/// <summary>Why an approver cannot act on a request: a stable code (the REST API's <c>error</c>, the CLI's message) and a sentence saying what to do.</summary>
public sealed record ApprovalRefusal(string Code, string Message)
{
    /// <summary>The approver is the requester: nobody approves their own call (segregation of duties).</summary>
    public const string SelfApproval = "self_approval";

    /// <summary>The approver is in none of the request's approver groups.</summary>
    public const string NotAnApprover = "not_an_approver";

    /// <summary>This approver approved already; M of N counts distinct people.</summary>
    public const string AlreadyApproved = "already_approved";

    /// <summary>The request is approved, denied or used already.</summary>
    public const string NotPending = "not_pending";

    /// <summary>The request's validity window has passed.</summary>
    public const string Expired = "expired";

    /// <summary>A grant request or break-glass that is malformed: no tool, no reason, no positive duration, no comment.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>A grant asked for longer than the configured maximum.</summary>
    public const string TooLong = "too_long";

    /// <summary>The policy gives the requester no grant rule covering the scope asked for.</summary>
    public const string NotGrantable = "not_grantable";

    /// <summary>The person is not in a group holding the break-glass role.</summary>
    public const string NotBreakGlass = "not_break_glass";

    /// <summary>No request has this id.</summary>
    public const string Unknown = "unknown_approval";
}
