namespace Proctor.Configuration.Models;

/// <summary>
/// The roles <c>identity.roles</c> may grant to identity-provider groups. A role is a name the gateway
/// knows and enforces; an unknown name in the configuration is an error, never a role that grants nothing.
/// </summary>
public static class IdentityRoles
{
    /// <summary>Reads sessions and the audit ledger through <c>/api</c>; changes nothing.</summary>
    public const string Auditor = "auditor";

    /// <summary>
    /// Lists approval requests and approves or denies those whose rule names one of the approver's groups, through
    /// <c>/api/approvals</c> (docs/approvals.md). The rule's groups decide each request; the role opens the endpoints.
    /// </summary>
    public const string Approver = "approver";

    /// <summary>Everything <see cref="Auditor"/> can, and the administrative actions as they arrive.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// May take a just-in-time grant alone, at once, with a reason (break-glass, docs/access.md): within what the policy's
    /// grant rules let them have, for at most <c>access.breakGlassMaxDuration</c>, alerting at once and opening a review.
    /// </summary>
    public const string BreakGlass = "breakglass";

    public static readonly string[] Known = [Auditor, Approver, Admin, BreakGlass];
}
