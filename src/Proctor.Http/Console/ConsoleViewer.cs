using Proctor.Configuration.Models;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Console;

/// <summary>The signed-in person and the roles <c>identity.roles</c> gives their groups; used to show only what they may use.</summary>
internal sealed record ConsoleViewer(Caller Caller, IReadOnlySet<string> Roles)
{
    public static ConsoleViewer Of(Caller caller, IdentitySettings? identity) =>
        new(caller, IdentityRoles.Known.Where(role => identity?.Grants(role, caller.Groups) == true).ToHashSet());

    /// <summary>True when the person holds <paramref name="role"/>, or one of the roles a <see cref="ConsoleRoles"/> group names.</summary>
    public bool Has(string role) => ConsoleRoles.Expand(role).Any(Roles.Contains);
}

/// <summary>The role sets the console's pages need: the same ones the REST API's admission policies ask for.</summary>
internal static class ConsoleRoles
{
    public const string ApprovalsReader = "approvals-reader";
    public const string LedgerReader = "ledger-reader";

    public static IEnumerable<string> Expand(string role) => role switch
    {
        ApprovalsReader => [IdentityRoles.Approver, IdentityRoles.Auditor, IdentityRoles.Admin],
        LedgerReader => [IdentityRoles.Auditor, IdentityRoles.Admin],
        _ => [role],
    };
}
