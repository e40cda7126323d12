using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Identity.AgentKeys;

namespace Proctor.Http.Identity;

/// <summary>
/// Who may use <c>/api/approvals</c>: a person (JWT bearer token, never an agent key) whose groups hold the approver,
/// auditor or admin role. Approving and denying also need the approver role, and then membership of the request's
/// approver groups, which the approval rules check per request (docs/approvals.md). Fails closed without an identity section.
/// </summary>
internal sealed class ApprovalsRequirement : IAuthorizationRequirement
{
    public static readonly ApprovalsRequirement Instance = new();

    public static readonly string[] Roles = [IdentityRoles.Approver, IdentityRoles.Auditor, IdentityRoles.Admin];
}

internal sealed class ApprovalsHandler(BearerAuthentication bearer) : AuthorizationHandler<ApprovalsRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApprovalsRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        if (bearer.Settings is not { } identity)
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "identity_not_configured",
                "Approvals are decided by authenticated approvers only, and this gateway has no identity section. Configure identity and identity.roles (docs/configuration.md)."));
            return Task.CompletedTask;
        }

        if (http.Features.Get<ICallerFeature>() is not { Caller: var caller })
        {
            return Task.CompletedTask; // not verified: the scheme's challenge answers 401
        }

        if (caller.AuthenticationMethod == AgentKeyAuthenticator.Method)
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "insufficient_role",
                "Agent keys hold no role and cannot read or decide approvals; an approver signs in with an access token from the identity provider."));
            return Task.CompletedTask;
        }

        if (!ApprovalsRequirement.Roles.Any(role => identity.Grants(role, caller.Groups)))
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "insufficient_role",
                $"'{caller.Subject}' holds none of the approver, auditor or admin roles (groups: {(caller.Groups.Count == 0 ? "none" : string.Join(", ", caller.Groups))}). identity.roles names the groups that hold each role."));
            return Task.CompletedTask;
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
