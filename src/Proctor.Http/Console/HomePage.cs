using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>The overview: who is signed in, with which groups and roles, and what waits for them.</summary>
internal sealed class HomePage(ConsoleGate gate, IdentitySettings? identity, ApprovalsApi approvals, AccessApi access)
{
    public async Task ShowAsync(HttpContext context)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.Person).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        var viewer = ConsoleViewer.Of(caller, identity);
        int? pending = null;
        if (viewer.Has(ConsoleRoles.ApprovalsReader))
        {
            var answer = await ApiCall.RunAsync(context, approvals.ListAsync, new Dictionary<string, string> { ["state"] = "pending" }).ConfigureAwait(false);
            pending = answer.Succeeded ? ConsoleText.Items(answer.Body).Count() : null;
        }

        var mine = await ApiCall.RunAsync(context, access.ListAsync).ConfigureAwait(false);
        int? grants = mine.Succeeded ? ConsoleText.Items(mine.Body).Count(g => ConsoleText.Of(g["state"]) is "pending" or "active") : null;

        await ConsoleLayout.WriteAsync(context, viewer, "Overview", html =>
        {
            html.Element("h1", "Overview")
                .Open("dl", "class", "facts")
                .Element("dt", "Signed in as").Element("dd", caller.Subject)
                .Element("dt", "Issuer").Element("dd", caller.Issuer ?? "—")
                .Element("dt", "Groups").Element("dd", caller.Groups.Count == 0 ? "none" : string.Join(", ", caller.Groups))
                .Element("dt", "Roles").Element("dd", viewer.Roles.Count == 0 ? "none (you can request access and see your own grants)" : string.Join(", ", viewer.Roles.Order(StringComparer.Ordinal)))
                .Close();
            if (pending is { } count)
            {
                html.Open("p").Text($"{count} approval request{(count == 1 ? "" : "s")} waiting. ").Element("a", "Open the inbox", "href", ConsoleRoutes.Approvals).Close();
            }

            if (grants is { } open)
            {
                html.Open("p").Text($"{open} access grant{(open == 1 ? "" : "s")} pending or active. ").Element("a", "Access and grants", "href", ConsoleRoutes.Access).Close();
            }
        }).ConfigureAwait(false);
    }
}
