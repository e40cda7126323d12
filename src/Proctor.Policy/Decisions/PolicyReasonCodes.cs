namespace Proctor.Policy.Decisions;

/// <summary>
/// Stable reason codes of policy decisions (docs/reason-codes.md, docs/policy.md); never reused for
/// another meaning. The host carries them in <c>error.data.reason</c> and in ledger events.
/// </summary>
public static class PolicyReasonCodes
{
    /// <summary>An allow rule applies and nothing outranks it.</summary>
    public const string Allowed = "policy.allowed";

    /// <summary>A deny rule applies.</summary>
    public const string Denied = "policy.denied";

    /// <summary>No rule allows it (default deny).</summary>
    public const string NotAllowed = "policy.not_allowed";

    /// <summary>An approve rule applies: the call needs someone else's approval first.</summary>
    public const string ApprovalRequired = "policy.approval_required";

    /// <summary>A grant rule applies: the call is allowed only under an active just-in-time grant (docs/access.md). The gateway checks the grant.</summary>
    public const string GrantRequired = "policy.grant_required";

    /// <summary>A rule that applied to the caller and target could not evaluate its condition; the call is refused (fail closed).</summary>
    public const string ConditionError = "policy.condition_error";

    /// <summary>The only rules that would allow it need multi-factor sign-in (or particular <c>amr</c> methods).</summary>
    public const string MfaRequired = "policy.mfa_required";

    /// <summary>The only rules that would allow it need another authentication context class (<c>acr</c>).</summary>
    public const string AcrRequired = "policy.acr_required";

    /// <summary>The only rules that would allow it need OAuth scopes the token lacks; the decision names them.</summary>
    public const string InsufficientScope = "policy.insufficient_scope";

    /// <summary>The only rules that would allow it need a more recent sign-in.</summary>
    public const string AuthenticationTooOld = "policy.authentication_too_old";

    /// <summary>The name holds invisible characters or look-alikes of ASCII letters; refused whatever the rules say.</summary>
    public const string NameRefused = "policy.name_refused";
}
