using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Pipeline;

/// <summary>Stable reason codes carried in <c>error.data.reason</c>; documented in docs/reason-codes.md; never reused.</summary>
public static class ReasonCodes
{
    public const string NoCaller = "identity.no_caller";
    public const string MfaRequired = "identity.mfa_required";
    public const string AuthenticationTooOld = "identity.authentication_too_old";
    public const string InsufficientScope = "identity.insufficient_scope";
    public const string GatewayHousekeepingOnly = "identity.gateway_housekeeping_only";
    public const string UpstreamUnavailable = "upstream.unavailable";
    public const string UpstreamTimeout = "upstream.timeout";
    public const string UpstreamMessageTooLarge = "upstream.message_too_large";
    public const string UpstreamAnswerMismatch = "upstream.answer_mismatch";
    public const string UnknownServer = "routing.unknown_server";
    public const string UnknownTool = "routing.unknown_name";
    public const string Fault = "gateway.fault";
    public const string MaskingFailed = "masking.failed";
    public const string LedgerUnavailable = "ledger.unavailable";

    /// <summary>Tasks (SEP-2663) belong to their creator (decision 0043, TaskOwnershipStage).</summary>
    public const string TaskUnknown = "task.unknown";
    public const string TaskExtensionNotDeclared = "task.extension_not_declared";
    public const string TaskListNotRelayed = "task.list_not_relayed";
    public const string TaskTooMany = "task.too_many";
    public const string TaskIdConflict = "task.id_conflict";

    /// <summary>Client messages refused before they became calls (docs/decisions/0012).</summary>
    public const string InvalidMessage = "protocol.invalid_message";
    public const string InvalidId = "protocol.invalid_id";
    public const string RequestWithoutId = "protocol.request_without_id";
    public const string NotificationWithId = "protocol.notification_with_id";
    public const string NotificationNotAllowed = "protocol.notification_not_allowed";
    public const string UnexpectedResponse = "protocol.unexpected_response";
    public const string ShuttingDown = "gateway.shutting_down";
    public const string SessionsLimit = "limits.sessions";
    public const string SessionsPerIdentityLimit = "limits.sessions_per_identity";
    public const string ConcurrentCallsLimit = "limits.concurrent_calls";
    public const string CallRateLimit = "limits.call_rate";

    /// <summary>Policy decisions (docs/policy.md): the library's codes, carried in error.data.reason and in every call's ledger records.</summary>
    public const string PolicyAllowed = PolicyReasonCodes.Allowed;
    public const string PolicyDenied = PolicyReasonCodes.Denied;
    public const string PolicyNotAllowed = PolicyReasonCodes.NotAllowed;
    public const string PolicyApprovalRequired = PolicyReasonCodes.ApprovalRequired;

    /// <summary>A grant rule applies and the caller holds no active grant for the server and tool (none, expired, or revoked): refused (docs/access.md).</summary>
    public const string PolicyGrantRequired = PolicyReasonCodes.GrantRequired;

    /// <summary>A grant rule applies and the caller's active just-in-time grant covers the tool: the call goes on, and its records carry this reason.</summary>
    public const string AccessGranted = "access.granted";
    public const string PolicyConditionError = PolicyReasonCodes.ConditionError;
    public const string PolicyMfaRequired = PolicyReasonCodes.MfaRequired;
    public const string PolicyAcrRequired = PolicyReasonCodes.AcrRequired;
    public const string PolicyInsufficientScope = PolicyReasonCodes.InsufficientScope;
    public const string PolicyAuthenticationTooOld = PolicyReasonCodes.AuthenticationTooOld;
    public const string PolicyNameRefused = PolicyReasonCodes.NameRefused;

    /// <summary>
    /// The tool's definition differs from the one pinned on first sight (decision 0034): the tool is hidden and refused
    /// until an admin accepts the new definition with <c>proctor tools accept SERVER TOOL</c>.
    /// </summary>
    public const string PolicyToolDefinitionChanged = "policy.tool_definition_changed";

    /// <summary>
    /// Approvals (docs/approvals.md, decision 0037). Pending: no decision came during the hold (or the caller's era is not
    /// held); the caller gets a tool result with <c>isError</c>, the approval id and its status URL, and calls again with
    /// the same arguments once it is approved.
    /// </summary>
    public const string ApprovalPending = "approval.pending";

    /// <summary>An approver denied the call's request.</summary>
    public const string ApprovalDenied = "approval.denied";

    /// <summary><c>approvals.maxHeldCalls</c> calls are held already; the request is made, the call answered at once.</summary>
    public const string ApprovalTooManyHeld = "approval.too_many_held";

    /// <summary>The rule names no approver groups and no group holds the <c>approver</c> role: nobody could approve.</summary>
    public const string ApprovalNoApprovers = "approval.no_approvers";

    /// <summary>
    /// A 2026-07-28 caller presented a <c>requestState</c> of the approval flow that fails verification: altered, from
    /// another gateway, for another call, caller or policy, or expired (decision 0042). Nothing ran; call again without it.
    /// </summary>
    public const string ApprovalStateInvalid = "approval.state_invalid";

    /// <summary>The caller was asked for a justification (form elicitation) before the request is made; nothing ran yet (decision 0042).</summary>
    public const string ApprovalJustificationRequested = "approval.justification_requested";

    /// <summary>A list: never refused, its answer filtered to what the caller could use (decision 0030). Recorded, never an error.</summary>
    public const string PolicyListFiltered = "policy.list_filtered";

    /// <summary>A method that names nothing a rule could target (logging/setLevel, resources/unsubscribe, the gateway's housekeeping). Recorded, never an error.</summary>
    public const string PolicyNotApplicable = "policy.not_applicable";
}
