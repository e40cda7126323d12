using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Identity;
using Proctor.Http.Mcp;
using Proctor.Identity.AgentKeys;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Api;

/// <summary>
/// Who may read the ledger through <c>/api</c>: a person authenticated like any MCP caller (JWT bearer token)
/// whose groups hold the auditor or admin role (<c>identity.roles</c>). Fails closed: without an identity
/// section nobody may, and agent keys never hold a role (decision 0009).
/// </summary>
internal sealed class ApiAccess(IdentitySettings? identity, BearerAuthentication bearer)
{
    private static readonly string[] ReadingRoles = [IdentityRoles.Auditor, IdentityRoles.Admin];

    /// <summary>The caller allowed to read, or null after writing the refusal.</summary>
    public async Task<Caller?> AuthorizeReadAsync(HttpContext context)
    {
        if (identity is null)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, "identity_not_configured",
                "The REST API serves the audit ledger to authenticated auditors only, and this gateway has no identity section. Configure identity and identity.roles (docs/configuration.md).").ConfigureAwait(false);
            return null;
        }

        if (await bearer.VerifyAsync(context).ConfigureAwait(false) is { } refusal)
        {
            await ApiReplies.ErrorAsync(context, refusal.Status, refusal.Error ?? "unauthorized", refusal.Description).ConfigureAwait(false);
            return null;
        }

        var caller = (Caller)context.Items[McpEndpoint.CallerKey]!;
        if (caller.AuthenticationMethod == AgentKeyAuthenticator.Method)
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, "insufficient_role",
                "Agent keys hold no role and cannot read the audit ledger; an auditor signs in with an access token from the identity provider.").ConfigureAwait(false);
            return null;
        }

        if (!ReadingRoles.Any(role => identity.Grants(role, caller.Groups)))
        {
            await ApiReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, "insufficient_role",
                $"'{caller.Subject}' holds neither the auditor nor the admin role (groups: {(caller.Groups.Count == 0 ? "none" : string.Join(", ", caller.Groups))}). identity.roles names the groups that hold each role.").ConfigureAwait(false);
            return null;
        }

        return caller;
    }
}
