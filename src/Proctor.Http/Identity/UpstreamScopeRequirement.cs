using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Identity;

/// <summary>
/// <c>/mcp</c> and <c>/mcp/{server}</c>: a verified caller holds every scope the addressed upstream requires
/// (<c>upstreams.*.requiredScopes</c>). Without an identity section every caller passes, anonymous.
/// </summary>
internal sealed class UpstreamScopeRequirement : IAuthorizationRequirement
{
    public static readonly UpstreamScopeRequirement Instance = new();
}

internal sealed class UpstreamScopeHandler(BearerAuthentication bearer) : AuthorizationHandler<UpstreamScopeRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, UpstreamScopeRequirement requirement)
    {
        if (bearer.Settings is null)
        {
            context.Succeed(requirement);
            return;
        }

        // Not verified: the requirement stays unmet, and the scheme's challenge answers 401.
        if (context.Resource is not HttpContext http || http.Features.Get<ICallerFeature>() is not { } verified)
        {
            return;
        }

        if (await bearer.RefuseScopesAsync(verified.Caller, http.Request.RouteValues["server"] as string).ConfigureAwait(false) is { } refusal)
        {
            AdmissionRefusal.Refuse(context, http, AdmissionRefusal.Challenged(this, refusal));
            return;
        }

        context.Succeed(requirement);
    }
}
