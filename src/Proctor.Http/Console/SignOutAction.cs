using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>Signing out: a POST from a signed-in page (its antiforgery token is bound to the person), which drops the cookie and ends every copy of it.</summary>
internal sealed class SignOutAction(ConsoleGate gate, ConsoleSession session, IAntiforgery antiforgery)
{
    public async Task PostAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.Person).ConfigureAwait(false) is null
            || !await ConsoleForms.ValidAsync(context, antiforgery).ConfigureAwait(false))
        {
            return;
        }

        session.SignOut(context);
        context.Response.Redirect(ConsoleRoutes.SignIn);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }
}
