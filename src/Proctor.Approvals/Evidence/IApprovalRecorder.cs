using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Evidence;

/// <summary>What happened to a request; each is one ledger event kind (docs/ledger.md).</summary>
public enum ApprovalEventKind
{
    /// <summary><c>approval.request</c>: a call needs approval and is held (or told to come back).</summary>
    Requested,

    /// <summary><c>approval.approve</c>: one approver approved (the request may still need more).</summary>
    Approved,

    /// <summary><c>approval.deny</c>.</summary>
    Denied,

    /// <summary><c>approval.expire</c>: its validity window passed before it was used.</summary>
    Expired,

    /// <summary><c>approval.use</c>: the approved call runs, once; the event names its call.</summary>
    Used,
}

/// <summary>
/// Who acted, as the ledger records actors: the caller (request, use), an approver (approve, deny; with the surface
/// and, for the CLI, the local user who ran it), or the gateway (expire).
/// </summary>
public sealed record ApprovalActor(string Subject)
{
    public string? Issuer { get; init; }

    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>How they proved who they are: <c>oidc</c>, <c>agent-key</c>, <c>none</c>.</summary>
    public string? AuthMethod { get; init; }

    public IReadOnlyList<string> AuthenticationMethods { get; init; } = [];

    public string? SourceAddress { get; init; }

    /// <summary><c>mcp</c>, <c>rest</c>, <c>cli</c>, or <c>gateway</c>.</summary>
    public required string Via { get; init; }

    /// <summary>The local account that ran the CLI (<c>cli:USER</c>), beside the approver its token names.</summary>
    public string? Operator { get; init; }

    /// <summary>The caller's legacy session, so that the hold and its use show in <c>proctor sessions replay</c>.</summary>
    public string? SessionId { get; init; }

    public string? ProtocolVersion { get; init; }

    public static ApprovalActor Gateway { get; } = new("proctor:gateway") { AuthMethod = "none", Via = "gateway" };
}

/// <param name="Request">The request as it is after the event (an approval shows the count reached; a use, the call).</param>
/// <param name="CallId">The held or released call, for <see cref="ApprovalEventKind.Requested"/> and <see cref="ApprovalEventKind.Used"/>.</param>
public sealed record ApprovalEvent(ApprovalEventKind Kind, ApprovalRequest Request, ApprovalActor Actor, string? CallId = null);

/// <summary>
/// Puts what happens to requests on record. MUST complete only once the event is durable; the desk acts on a change
/// only after its event is recorded, so a failure here (a ledger that cannot commit) changes nothing: fail closed.
/// </summary>
public interface IApprovalRecorder
{
    Task RecordAsync(ApprovalEvent approvalEvent, CancellationToken cancellationToken);
}
