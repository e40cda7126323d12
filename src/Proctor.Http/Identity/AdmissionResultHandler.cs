using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Identity;

/// <summary>
/// Hands a refused request to the <c>Proctor</c> scheme: a requirement's own refusal (a missing scope or role, or no
/// identity section for <c>/api</c>) is a forbid carrying that refusal; anything else unmet is an unverified caller,
/// a challenge. ASP.NET Core's default would challenge every anonymous refusal, answering 401 where <c>/api</c> says 403.
/// </summary>
internal sealed class AdmissionResultHandler : IAuthorizationMiddlewareResultHandler
{
    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult) =>
        authorizeResult.Succeeded ? next(context) : RefuseAsync(context);

    /// <summary>The refusal travels on the request (<see cref="AdmissionRefusal.Refuse"/>), whichever way the evaluator decided.</summary>
    public static Task RefuseAsync(HttpContext context) =>
        context.Features.Get<AdmissionRefusal>() is null
            ? context.ChallengeAsync(ProctorAuthenticationHandler.SchemeName)
            : context.ForbidAsync(ProctorAuthenticationHandler.SchemeName);
}
