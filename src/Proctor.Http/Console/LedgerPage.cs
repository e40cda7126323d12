using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Proctor.Configuration.Models;
using Proctor.Http.Api;
using Proctor.Http.Identity;

namespace Proctor.Http.Console;

/// <summary>The ledger's latest signed checkpoint, and a full verification on demand (the REST API's, one at a time).</summary>
internal sealed class LedgerPage(ConsoleGate gate, ExaminerApi examiner, IAntiforgery antiforgery, IdentitySettings? identity)
{
    public Task ShowAsync(HttpContext context) => RenderAsync(context, verify: false);

    public Task VerifyAsync(HttpContext context) => RenderAsync(context, verify: true);

    private async Task RenderAsync(HttpContext context, bool verify)
    {
        if (await gate.AdmitAsync(context, AdmissionPolicies.LedgerReader).ConfigureAwait(false) is not { } caller)
        {
            return;
        }

        if (verify && !await ConsoleForms.ValidAsync(context, antiforgery).ConfigureAwait(false))
        {
            return;
        }

        var checkpoint = await ApiCall.RunAsync(context, examiner.CheckpointAsync).ConfigureAwait(false);
        var verification = verify ? await ApiCall.RunAsync(context, examiner.VerifyAsync).ConfigureAwait(false) : null;
        await ConsoleLayout.WriteAsync(context, ConsoleViewer.Of(caller, identity), "Ledger", html =>
        {
            html.Element("h1", "Ledger");
            if (checkpoint.Succeeded)
            {
                html.Element("h2", "Latest checkpoint").Open("dl", "class", "facts")
                    .Element("dt", "Tree size").Element("dd", ConsoleText.Of(checkpoint.Body!["tree_size"]))
                    .Element("dt", "Signed at").Element("dd", ConsoleText.Of(checkpoint.Body!["signed_at"]))
                    .Element("dt", "Root hash").Element("dd", ConsoleText.Of(checkpoint.Body!["root_hash"]))
                    .Element("dt", "Verifier key").Element("dd", ConsoleText.Of(checkpoint.Body!["verifier_key"]))
                    .Close();
            }
            else
            {
                html.Notice(checkpoint.Problem, problem: true);
            }

            if (verification is not null)
            {
                var intact = verification.Succeeded && verification.Body!["intact"]?.GetValue<bool>() == true;
                html.Element("h2", "Verification").Notice(
                    !verification.Succeeded ? verification.Problem
                    : intact ? $"Intact: {ConsoleText.Of(verification.Body!["entries"])} entries and {ConsoleText.Of(verification.Body!["checkpoints"])} checkpoints check out ({ConsoleText.Of(verification.Body!["purged"])} purged under retention)."
                    : $"NOT intact: {ConsoleText.Of(verification.Body!["problem"]?["message"])} (entry {ConsoleText.Of(verification.Body!["problem"]?["index"])}).",
                    problem: !intact);
            }

            html.Open("form", "method", "post", "action", ConsoleRoutes.Ledger + "/verify")
                .Antiforgery(context)
                .Element("button", "Verify the whole ledger now", "type", "submit")
                .Close();
        }).ConfigureAwait(false);
    }
}
