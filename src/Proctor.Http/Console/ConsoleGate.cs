using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Proctor.Http.Identity;
using Proctor.Mcp.Pipeline;

namespace Proctor.Http.Console;

/// <summary>
/// Admits a console request by the same policies as the REST API (decision 0050): the session's token is presented as
/// the request's bearer credential and the <c>Proctor</c> scheme and the page's admission policy judge it, so a
/// person may do in the console exactly what their token lets them do through <c>/api</c>. Any Authorization header
/// the browser sent is replaced: the console is reached by its cookie only.
/// </summary>
internal sealed class ConsoleGate(IAuthorizationPolicyProvider policies, IPolicyEvaluator evaluator, ConsoleSession session)
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

        context.Request.Headers[HeaderNames.Authorization] = "Bearer " + token;
        var policy = (await policies.GetPolicyAsync(policyName).ConfigureAwait(false))!;
        var authenticated = await evaluator.AuthenticateAsync(policy, context).ConfigureAwait(false);
        if (!authenticated.Succeeded)
        {
            session.End(context);
            context.Response.Redirect(ConsoleRoutes.SignIn + "?ended=1");
            return null;
        }

        var authorized = await evaluator.AuthorizeAsync(policy, authenticated, context, context).ConfigureAwait(false);
        if (!authorized.Succeeded)
        {
            var refusal = context.Features.Get<AdmissionRefusal>();
            await ConsoleLayout.WriteAsync(context, null, "Not allowed", html => html
                .Element("h1", "Not allowed")
                .Element("p", refusal?.Message ?? "Your roles do not allow this page.")
                .Open("p").Element("a", "Back to the overview", "href", ConsoleRoutes.Home).Close(), StatusCodes.Status403Forbidden).ConfigureAwait(false);
            return null;
        }

        session.Keep(context, token);
        return context.Caller();
    }
}
