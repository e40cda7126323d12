using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Proctor.Http.Console;

/// <summary>The frame of every console page: skip link, banner with the navigation the person's roles allow, the main landmark.</summary>
internal static class ConsoleLayout
{
    private static readonly (string Href, string Label, string? Role)[] Links =
    [
        (ConsoleRoutes.Home, "Overview", null),
        (ConsoleRoutes.Approvals, "Approvals", ConsoleRoles.ApprovalsReader),
        (ConsoleRoutes.Access, "Access", null),
        (ConsoleRoutes.Sessions, "Sessions", ConsoleRoles.LedgerReader),
        (ConsoleRoutes.Audit, "Audit", ConsoleRoles.LedgerReader),
        (ConsoleRoutes.Ledger, "Ledger", ConsoleRoles.LedgerReader),
        (ConsoleRoutes.Export, "Evidence export", ConsoleRoles.LedgerReader),
    ];

    /// <param name="viewer">The signed-in person, or null on the sign-in and refusal pages (no navigation then).</param>
    public static async Task WriteAsync(HttpContext context, ConsoleViewer? viewer, string title, Action<Html> body, int status = StatusCodes.Status200OK)
    {
        ConsoleHeaders.Apply(context.Response);
        var html = new Html();
        html.Open("html", "lang", "en")
            .Open("head")
            .Void("meta", "charset", "utf-8")
            .Void("meta", "name", "viewport", "content", "width=device-width, initial-scale=1")
            .Element("title", $"{title} · Proctor")
            .Void("link", "rel", "stylesheet", "href", ConsoleRoutes.Assets + "/console.css")
            .Void("link", "rel", "icon", "href", ConsoleRoutes.Assets + "/icon.svg", "type", "image/svg+xml")
            .Open("script", "src", ConsoleRoutes.Assets + "/console.js", "defer", "defer").Close()
            .Close()
            .Open("body")
            .Element("a", "Skip to content", "class", "skip", "href", "#main")
            .Open("header", "class", "banner")
            .Element("span", "Proctor console", "class", "brand");
        if (viewer is not null)
        {
            html.Open("nav", "aria-label", "Console").Open("ul");
            foreach (var (href, label, role) in Links.Where(l => l.Role is null || viewer.Has(l.Role)))
            {
                html.Open("li").Element("a", label, "href", href, "aria-current", context.Request.Path == href ? "page" : null).Close();
            }

            html.Close().Close()
                .Open("form", "method", "post", "action", ConsoleRoutes.SignOut, "class", "signout")
                .Antiforgery(context)
                .Element("span", viewer.Caller.Subject, "class", "who")
                .Element("button", "Sign out", "type", "submit")
                .Close();
        }

        html.Close().Open("main", "id", "main", "tabindex", "-1");
        body(html);
        html.Close().Close().Close();
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync("<!DOCTYPE html>" + html, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The hidden antiforgery field every console form carries.</summary>
    public static Html Antiforgery(this Html html, HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return html.Void("input", "type", "hidden", "name", tokens.FormFieldName, "value", tokens.RequestToken);
    }

    /// <summary>A one-line notice above a page's content (the outcome of the last action).</summary>
    public static Html Notice(this Html html, string? text, bool problem = false) =>
        text is null ? html : html.Element("p", text, "class", problem ? "notice problem" : "notice", "role", problem ? "alert" : "status");
}
