using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Proctor.Identity;

namespace Proctor.Http.Identity;

/// <summary>
/// Why an authorization requirement refused a request, carried from the requirement's handler to
/// <see cref="ProctorAuthenticationHandler.HandleForbiddenAsync"/>, which writes it. A refusal with a
/// <see cref="Challenge"/> (a missing scope) is logged, counted and challenged like a bad credential;
/// one without (a missing role) is answered with its body only, as <c>/api</c> always has.
/// </summary>
internal sealed class AdmissionRefusal(IAuthorizationHandler handler, int status, string error, string description, AuthenticationOutcome? challenge = null)
    : AuthorizationFailureReason(handler, description)
{
    public int Status => status;

    public string Error => error;

    public AuthenticationOutcome? Challenge => challenge;

    /// <summary>
    /// Fails the requirement and leaves the refusal on the request: when the caller is not verified (no identity section),
    /// ASP.NET Core's policy evaluator hands on a challenge without the failure's reasons.
    /// </summary>
    public static void Refuse(AuthorizationHandlerContext context, HttpContext http, AdmissionRefusal refusal)
    {
        http.Features.Set(refusal);
        context.Fail(refusal);
    }

    public static AdmissionRefusal Challenged(IAuthorizationHandler handler, AuthenticationOutcome outcome) =>
        new(handler, outcome.Status, outcome.Error ?? "unauthorized", outcome.Description!, outcome);
}
