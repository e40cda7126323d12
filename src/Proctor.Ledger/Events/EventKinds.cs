namespace Proctor.Ledger.Events;

/// <summary>The event kinds. A kind is never renamed or reused: verifiers and reports key on it.</summary>
public static class EventKinds
{
    public const string CallRequest = "call.request";
    public const string CallResponse = "call.response";

    /// <summary>Progress or log relayed to the client while a call runs.</summary>
    public const string CallNotification = "call.notification";
    public const string CallCancelled = "call.cancelled";

    /// <summary>A gateway stage refused the call before its request was recorded; no arguments, the reason code in decision.</summary>
    public const string CallRefused = "call.refused";
    /// <summary>A client notification the gateway accepted, recorded before it was acted on or forwarded; details carry it (masked).</summary>
    public const string ClientNotification = "client.notification";

    /// <summary>An upstream notification outside any call, recorded before it was delivered to the sessions entitled to it.</summary>
    public const string UpstreamNotification = "upstream.notification";
    public const string SessionOpen = "session.open";
    public const string SessionClose = "session.close";

    /// <summary>Details carry the command line as written (environment variable names only) and the pid.</summary>
    public const string UpstreamSpawn = "upstream.spawn";

    /// <summary>Details carry the pid, exit code, reason (exited, stopped, terminated, killed) and uptime.</summary>
    public const string UpstreamExit = "upstream.exit";

    /// <summary>Details carry the canonical hash of the loaded configuration.</summary>
    public const string ConfigLoad = "config.load";

    /// <summary>
    /// A policy was put in force (at start, or reloaded), or a reload was refused: details carry the source, the
    /// policy's hash, rule count and the hash it replaced; a refused load has outcome <c>refused</c> and its errors.
    /// </summary>
    public const string PolicyLoad = "policy.load";

    /// <summary>
    /// An upstream offered a tool definition that differs from the one pinned (decision 0034); the tool is blocked.
    /// Details carry server, tool, and the pinned and seen fingerprints.
    /// </summary>
    public const string ToolDefinitionChanged = "tool.definition_changed";

    /// <summary>An admin accepted a changed tool definition (<c>proctor tools accept</c>); details carry server, tool, previous and accepted fingerprints.</summary>
    public const string ToolDefinitionAccepted = "tool.definition_accepted";

    /// <summary>
    /// Per-call approvals (docs/approvals.md, decision 0037); every one carries the approval id in details.
    /// A call needs approval: the request is made (masked arguments in action, the caller's justification in details).
    /// </summary>
    public const string ApprovalRequest = "approval.request";

    /// <summary>One approver approved (details: how many of how many; outcome <c>approved</c> once enough distinct approvers have).</summary>
    public const string ApprovalApprove = "approval.approve";

    public const string ApprovalDeny = "approval.deny";

    /// <summary>The request's validity window passed before it was used (actor: the gateway).</summary>
    public const string ApprovalExpire = "approval.expire";

    /// <summary>The approved call runs, once: recorded before it is forwarded; <c>call_id</c> names the call.</summary>
    public const string ApprovalUse = "approval.use";

    /// <summary>
    /// Just-in-time grants, break-glass and reviews (docs/access.md, decision 0041); each carries <c>grant_id</c> in details
    /// (and <c>review_id</c> for break-glass and reviews), recorded before the change is stored.
    /// </summary>
    public const string GrantRequest = "grant.request";

    /// <summary>One approver approved a grant request (outcome <c>active</c> once enough distinct approvers have).</summary>
    public const string GrantApprove = "grant.approve";

    public const string GrantDeny = "grant.deny";

    /// <summary>The holder gave the grant up, or an approver took it away: it stops working at once.</summary>
    public const string GrantRevoke = "grant.revoke";

    /// <summary>The grant's time ran out, or its request lapsed undecided (actor: the gateway).</summary>
    public const string GrantExpire = "grant.expire";

    /// <summary>A member of the break-glass role took a grant alone, active at once, with a reason.</summary>
    public const string BreakGlassOpen = "breakglass.open";

    /// <summary>A break-glass grant's review was opened; it stays open until someone else closes it.</summary>
    public const string ReviewOpen = "review.open";

    /// <summary>Someone other than the holder closed a break-glass review, with a comment.</summary>
    public const string ReviewClose = "review.close";

    /// <summary>A checkpoint key was created or rotated; details carry its verifier key.</summary>
    public const string LedgerKey = "ledger.key";
    public const string LedgerPurge = "ledger.purge";
    public const string LedgerHold = "ledger.hold";

    /// <summary>An auditor read sessions or audit data through the REST API; details carry what (method, path, query).</summary>
    public const string AuditRead = "audit.read";

    /// <summary>An evidence package was exported; details carry who asked, the period, the filters and the package's SHA-256.</summary>
    public const string EvidenceExport = "evidence.export";

    /// <summary>Prefix of administrative actions: admin.grant, admin.revoke, admin.approve…</summary>
    public const string AdminPrefix = "admin.";
}
