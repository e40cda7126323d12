using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>
/// Signing in and out. With <c>console.clientId</c>, through the identity provider (<see cref="ProviderSignIn"/>); with
/// <c>console.tokenSignIn</c>, by pasting an access token the gateway accepts (what <c>proctor demo</c> prints). Either way the
/// token is checked by the REST API's scheme before the cookie is set, and on every request after (decision 0050).
/// </summary>
internal sealed class SignInPage(ConsoleSettings settings, ConsoleSession session, IAntiforgery antiforgery, BearerAuthentication bearer)
{
    public Task ShowAsync(HttpContext context) => RenderAsync(context, null, StatusCodes.Status200OK);

    public async Task TokenAsync(HttpContext context)
    {
        if (!settings.TokenSignIn)
        {
            await RenderAsync(context, "Signing in with a token is off (console.tokenSignIn); sign in through the identity provider.", StatusCodes.Status404NotFound).ConfigureAwait(false);
            return;
        }

        if (!await ConsoleForms.ValidAsync(context, antiforgery).ConfigureAwait(false))
        {
            return;
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        var token = form["token"].ToString().Trim();
        if (await WhyRefusedAsync(context, token).ConfigureAwait(false) is { } refusal)
        {
            await RenderAsync(context, refusal, StatusCodes.Status401Unauthorized).ConfigureAwait(false);
            return;
        }

        session.Keep(context, token);
        context.Response.Redirect(ConsoleRoutes.Home);
        context.Response.StatusCode = StatusCodes.Status303SeeOther;
    }

    /// <summary>Why the gateway would refuse this token as a console sign-in, or null when it accepts it: only people sign in, never agent keys.</summary>
    public async Task<string?> WhyRefusedAsync(HttpContext context, string token)
    {
        if (token.Length == 0)
        {
            return "Paste an access token.";
        }

        if (Proctor.Identity.AgentKeys.AgentKeyFormat.LooksLikeAgentKey(token))
        {
            return "Agent keys are for agents and hold no role; sign in with a person's access token.";
        }

        context.Request.Headers.Authorization = "Bearer " + token;
        var (caller, refusal) = await bearer.AuthenticateAsync(context).ConfigureAwait(false);
        context.Request.Headers.Remove("Authorization");
        return caller is not null ? null : refusal?.Description ?? "The token was not accepted.";
    }

    /// <summary>The sign-in page with why the last attempt failed.</summary>
    public Task RefuseAsync(HttpContext context, string problem) => RenderAsync(context, problem, StatusCodes.Status401Unauthorized);

    private async Task RenderAsync(HttpContext context, string? problem, int status) =>
        await ConsoleLayout.WriteAsync(context, null, "Sign in", html =>
        {
            html.Element("h1", "Sign in to the Proctor console").Notice(problem, problem: true);
            if (settings.ClientId is not null)
            {
                html.Open("p").Element("a", "Sign in with your organisation's account", "href", ConsoleRoutes.SignInProvider, "class", "button").Close();
            }

            if (settings.TokenSignIn)
            {
                html.Open("form", "method", "post", "action", ConsoleRoutes.SignIn)
                    .Antiforgery(context)
                    .Element("label", "Access token", "for", "token")
                    .Element("p", "A token this gateway accepts; proctor demo prints one per demo person.", "id", "token-help", "class", "help")
                    .Void("input", "id", "token", "name", "token", "type", "password", "autocomplete", "off", "required", "required", "aria-describedby", "token-help")
                    .Element("button", "Sign in", "type", "submit")
                    .Close();
            }

            if (settings.ClientId is null && !settings.TokenSignIn)
            {
                html.Element("p", "No way to sign in is configured: set console.clientId (docs/console.md).");
            }
        }, status).ConfigureAwait(false);
}
