using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Proctor.Identity.AgentKeys;

namespace Proctor.Http.Identity;

/// <summary>
/// Who may use <c>/api/access</c> at all: a verified person (JWT bearer token, never an agent key), whatever their roles;
/// each endpoint then asks for what it needs (the approver or breakglass role, being the holder). Fails closed without
/// an identity section: a grant names a verified holder, or it means nothing.
/// </summary>
internal sealed class PersonRequirement : IAuthorizationRequirement
{
    public static readonly PersonRequirement Instance = new();
}

internal sealed class PersonHandler(BearerAuthentication bearer) : AuthorizationHandler<PersonRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PersonRequirement requirement)
    {
        if (context.Resource is not HttpContext http)
        {
            return Task.CompletedTask;
        }

        if (bearer.Settings is null)
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "identity_not_configured",
                "Grants are held by authenticated people only, and this gateway has no identity section. Configure identity and identity.roles (docs/configuration.md)."));
            return Task.CompletedTask;
        }

        if (http.Features.Get<ICallerFeature>() is not { Caller: var caller })
        {
            return Task.CompletedTask; // not verified: the scheme's challenge answers 401
        }

        if (caller.AuthenticationMethod == AgentKeyAuthenticator.Method)
        {
            AdmissionRefusal.Refuse(context, http, new AdmissionRefusal(this, StatusCodes.Status403Forbidden, "insufficient_role",
                "Agent keys cannot ask for, decide or hold just-in-time grants; a person signs in with an access token from the identity provider."));
            return Task.CompletedTask;
        }

        context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
