using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Proctor.Http.Identity;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Console;

/// <summary>
/// Admits a console request by the same policies as the REST API (decision 0050): the session's token is presented as
/// the request's bearer credential, the <c>Proctor</c> scheme's credential logic and the page's admission policy judge it, so a
/// person may do in the console exactly what their token lets them do through <c>/api</c>. Any Authorization header
/// the browser sent is replaced: the console is reached by its cookie only.
/// </summary>
internal sealed class ConsoleGate(IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator, BearerAuthentication bearer, ConsoleSession session, SignInPage signIn)
{
    /// <summary>The admitted person; null after answering (a redirect to sign in, or a page saying what is missing).</summary>
    public async Task<Caller?> AdmitAsync(HttpContext context, string policyName)
    {
        ConsoleHeaders.Apply(context.Response);
        if (session.Token(context) is not { } token)
        {
            context.Response.Redirect(ConsoleRoutes.SignIn);
            return null;
        }

        // The scheme's handler already ran for this request (without a bearer header) when the authentication middleware
        // did, and keeps that result; so the console asks BearerAuthentication, the handler's own logic, directly.
        context.Request.Headers[HeaderNames.Authorization] = "Bearer " + token;
        var (caller, refusal) = await bearer.AuthenticateAsync(context).ConfigureAwait(false);
        if (caller is null)
        {
            session.End(context);
            await signIn.RefuseAsync(context, $"Your sign-in ended: {refusal?.Description ?? "the token is no longer accepted"} Sign in again.").ConfigureAwait(false);
            return null;
        }

        context.Features.Set<ICallerFeature>(new CallerFeature(caller));
        context.User = ProctorAuthenticationHandler.Principal(caller);
        var policy = (await policies.GetPolicyAsync(policyName).ConfigureAwait(false))!;
        var authenticated = AuthenticateResult.Success(new AuthenticationTicket(context.User, ProctorAuthenticationHandler.SchemeName));

        var authorized = await evaluator.AuthorizeAsync(policy, authenticated, context, context).ConfigureAwait(false);
        if (!authorized.Succeeded)
        {
            var refused = context.Features.Get<AdmissionRefusal>();
            await ConsoleLayout.WriteAsync(context, null, "Not allowed", html => html
                .Element("h1", "Not allowed")
                .Element("p", refused?.Message ?? "Your roles do not allow this page.")
                .Open("p").Element("a", "Back to the overview", "href", ConsoleRoutes.Home).Close(), StatusCodes.Status403Forbidden).ConfigureAwait(false);
            return null;
        }

        session.Touch(context, token);
        return caller;
    }
}
