using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Identity.AgentKeys;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Identity;

/// <summary>
/// Who may read the ledger through <c>/api</c>: a person authenticated like any MCP caller (JWT bearer token)
/// whose groups hold the auditor or admin role (<c>identity.roles</c>). Fails closed: without an identity
/// section nobody may, and agent keys never hold a role (decision 0009).
/// </summary>
internal sealed class LedgerReaderRequirement : IAuthorizationRequirement
{
    public static readonly LedgerReaderRequirement Instance = new();
}

internal sealed class LedgerReaderHandler(BearerAuthentication bearer) : AuthorizationHandler<LedgerReaderRequirement>
{
    private static readonly string[] ReadingRoles = [IdentityRoles.Auditor, IdentityRoles.Admin];

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, LedgerReaderRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        if (bearer.Settings is not { } identity)
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "identity_not_configured",
                "The REST API serves the audit ledger to authenticated auditors only, and this gateway has no identity section. Configure identity and identity.roles (docs/configuration.md)."));
            return Task.CompletedTask;
        }

        // Not verified: the requirement stays unmet, and the scheme's challenge answers 401.
        if (http.Features.Get<ICallerFeature>() is not { Caller: var caller })
        {
            return Task.CompletedTask;
        }

        if (caller.AuthenticationMethod == AgentKeyAuthenticator.Method)
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "insufficient_role",
                "Agent keys hold no role and cannot read the audit ledger; an auditor signs in with an access token from the identity provider."));
            return Task.CompletedTask;
        }

        if (!ReadingRoles.Any(role => identity.Grants(role, caller.Groups)))
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "insufficient_role",
                $"'{caller.Subject}' holds neither the auditor nor the admin role (groups: {(caller.Groups.Count == 0 ? "none" : string.Join(", ", caller.Groups))}). identity.roles names the groups that hold each role."));
            return Task.CompletedTask;
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
