using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Proctor.Http.Console;

/// <summary>Every console POST carries the antiforgery token of the page it came from; one without it changes nothing.</summary>
internal static class ConsoleForms
{
    /// <summary>True when the token is valid; false after answering 400 with a page saying what to do.</summary>
    public static async Task<bool> ValidAsync(HttpContext context, IAntiforgery antiforgery)
    {
        if (await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return true;
        }

        await ConsoleLayout.WriteAsync(context, null, "Form expired", html => html
            .Element("h1", "This form cannot be accepted")
            .Element("p", "It lacks a valid security token: it was sent from another site, or the page was open too long. Nothing was changed. Go back, reload the page and try again.")
            .Open("p").Element("a", "Back to the overview", "href", ConsoleRoutes.Home).Close(), StatusCodes.Status400BadRequest).ConfigureAwait(false);
        return false;
    }

    /// <summary>The REST API's decision body for a form's free-text field: <c>{"comment": …}</c>, or none when it is blank.</summary>
    public static JsonObject? CommentBody(IFormCollection form, string field) =>
        form[field].ToString().Trim() is { Length: > 0 } comment ? new JsonObject { ["comment"] = comment } : null;
}
