namespace Proctor.Configuration.Models;

/// <summary>
/// The kinds of notice the gateway sends to webhooks (docs/notifications.md). A webhook's <c>events</c> list
/// names them, or patterns over them (<c>approval.*</c>); the configuration refuses a pattern that names none,
/// so a typo cannot silence a webhook. Kept here, beside the settings that name them, like <see cref="IdentityRoles"/>.
/// </summary>
public static class NoticeKinds
{
    /// <summary>A call is held until someone else approves it.</summary>
    public const string ApprovalRequested = "approval.requested";

    public const string ApprovalApproved = "approval.approved";

    public const string ApprovalDenied = "approval.denied";

    /// <summary>Nobody decided within the approval's validity window.</summary>
    public const string ApprovalExpired = "approval.expired";

    /// <summary>Someone asks for just-in-time access to a scope for a while.</summary>
    public const string GrantRequested = "grant.requested";

    public const string GrantApproved = "grant.approved";

    public const string GrantDenied = "grant.denied";

    public const string GrantRevoked = "grant.revoked";

    public const string GrantExpired = "grant.expired";

    /// <summary>A member of a break-glass group granted themselves access; always urgent.</summary>
    public const string BreakGlassOpened = "breakglass.opened";

    /// <summary>A review task was opened (after break-glass) and waits for someone else to close it.</summary>
    public const string ReviewOpened = "review.opened";

    public const string ReviewClosed = "review.closed";

    /// <summary>Every kind, in the order the documentation lists them.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        ApprovalRequested, ApprovalApproved, ApprovalDenied, ApprovalExpired,
        GrantRequested, GrantApproved, GrantDenied, GrantRevoked, GrantExpired,
        BreakGlassOpened, ReviewOpened, ReviewClosed,
    ];

    public static bool IsKnown(string kind) => All.Contains(kind, StringComparer.Ordinal);

    /// <summary>
    /// Whether <paramref name="pattern"/> selects <paramref name="kind"/>: written out, or with <c>*</c> standing for
    /// any run of characters (<c>approval.*</c>, <c>*.opened</c>, <c>*</c>). Case matters, as in the kinds themselves.
    /// </summary>
    public static bool Matches(string pattern, string kind)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return string.Equals(pattern, kind, StringComparison.Ordinal);
        }

        var head = pattern[..star];
        if (!kind.StartsWith(head, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = pattern[(star + 1)..];
        for (var from = head.Length; from <= kind.Length; from++)
        {
            if (Matches(rest, kind[from..]))
            {
                return true;
            }
        }

        return false;
    }
}
