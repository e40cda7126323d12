using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Proctor.Approvals.Desk;
using Proctor.Approvals.Requests;
using Proctor.Approvals.Rules;
using Proctor.Configuration.Models;
using Proctor.Http.Identity;
using Proctor.Identity.AgentKeys;
using Proctor.Ledger.Storage;

namespace Proctor.Http.Api;

/// <summary>
/// <c>GET /approvals/{id}</c>: the page a 2026-07-28 caller's URL elicitation points at (decision 0042). The link carries
/// no credential (the spec forbids a pre-authenticated URL, client/elicitation "Safe URL Handling"), so without one the
/// page shows only what says nothing about the call's content: its state, rule, who may approve and how, and until when.
/// Presented with a bearer token of the requester or of an approver, auditor or admin, it adds who asked, what (server,
/// tool, arguments as stored, masked) and why; that read is recorded first as <c>audit.read</c>, like the JSON API's.
/// The page accepts nothing: deciding stays with <c>proctor approvals</c> and <c>POST /api/approvals/{id}/…</c>.
/// </summary>
internal sealed class ApprovalStatusPage(ApprovalDesk desk, IAuditReadRecorder recorder, IdentitySettings? identity, TimeProvider time)
{
    /// <summary>A pending page reloads itself this often, so the caller watching it sees the decision without a click.</summary>
    private const int RefreshSeconds = 10;

    public async Task ShowAsync(HttpContext context)
    {
        var id = (string)context.Request.RouteValues["id"]!;
        var request = await desk.FindAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (request is null)
        {
            await WriteAsync(context, StatusCodes.Status404NotFound, "Unknown approval", $"<p>No approval request {Html(id)}. Approvers list them with <code>proctor approvals list</code>.</p>", refresh: false).ConfigureAwait(false);
            return;
        }

        var detailed = await MaySeeDetailsAsync(context, request).ConfigureAwait(false);
        if (detailed)
        {
            try
            {
                await recorder.RecordReadAsync(context.Caller(), context.Request.Method, context.Request.Path, null, context.RequestAborted).ConfigureAwait(false);
            }
            catch (LedgerUnavailableException ex)
            {
                context.Response.Headers.RetryAfter = "5";
                await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Not available", $"<p>The read could not be recorded in the ledger, so it is not served: {Html(ex.Reason)}</p>", refresh: false).ConfigureAwait(false);
                return;
            }
        }

        var state = ApprovalRules.StateAt(request, time.GetUtcNow());
        await WriteAsync(context, StatusCodes.Status200OK, $"Approval {request.Id}", Body(request, state, detailed), refresh: state == ApprovalState.Pending).ConfigureAwait(false);
    }

    /// <summary>The requester, or a person holding the approver, auditor or admin role, by a verified token; nobody without an identity section.</summary>
    private async Task<bool> MaySeeDetailsAsync(HttpContext context, ApprovalRequest request)
    {
        if (identity is null || !context.Request.Headers.Authorization.Any()
            || !(await context.AuthenticateAsync(ProctorAuthenticationHandler.SchemeName).ConfigureAwait(false)).Succeeded
            || context.Features.Get<ICallerFeature>() is not { Caller: var caller })
        {
            return false;
        }

        return caller.Key == request.Binding.Identity
            || (caller.AuthenticationMethod != AgentKeyAuthenticator.Method && ApprovalsRequirement.Roles.Any(role => identity.Grants(role, caller.Groups)));
    }

    private static string Body(ApprovalRequest request, ApprovalState state, bool detailed)
    {
        var groups = string.Join(" or ", request.ApproverGroups);
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<p class=\"state {ApprovalStates.Name(state)}\">{Html(ApprovalStates.Name(state))}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p>{Html(Explain(state))}</p><dl>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Rule</dt><dd><code>{Html(request.Binding.Rule)}</code>{(request.Reason is { } reason ? $": {Html(reason)}" : "")}</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Who may approve</dt><dd>{request.MinApprovals} of {Html(groups)}, never the requester ({request.Approvals.Count} so far)</dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>Valid until</dt><dd>{Html(Time(request.ExpiresAt))}</dd>");
        if (detailed)
        {
            body.Append(CultureInfo.InvariantCulture, $"<dt>Requested by</dt><dd>{Html(request.Requester)} at {Html(Time(request.CreatedAt))}</dd>")
                .Append(CultureInfo.InvariantCulture, $"<dt>Call</dt><dd><code>{Html(request.Binding.Server)}</code> / <code>{Html(request.Binding.Tool)}</code></dd>")
                .Append(CultureInfo.InvariantCulture, $"<dt>Arguments (masked)</dt><dd><pre>{Html(request.MaskedArguments)}</pre></dd>")
                .Append(CultureInfo.InvariantCulture, $"<dt>Justification</dt><dd>{(request.Justification is { } why ? Html(why) : "none given")}</dd>");
        }

        body.Append("</dl><h2>Approvers</h2>")
            .Append(CultureInfo.InvariantCulture, $"<pre>proctor approvals show {Html(request.Id)} --config proctor.yaml\nproctor approvals approve {Html(request.Id)} --token \"$MY_TOKEN\" --config proctor.yaml\nproctor approvals deny {Html(request.Id)} --token \"$MY_TOKEN\" --config proctor.yaml</pre>")
            .Append(CultureInfo.InvariantCulture, $"<p>or <code>POST /api/approvals/{Html(request.Id)}/approve</code> with your token. ");
        if (!detailed)
        {
            body.Append("Who asked and the call's (masked) arguments are shown to the requester and to approvers, auditors and admins who send their access token; approvers read them with <code>proctor approvals show</code>.");
        }

        return body.Append("</p>").ToString();
    }

    private static string Explain(ApprovalState state) => state switch
    {
        ApprovalState.Pending => "Waiting for a decision. Once it is approved, the waiting call runs once; this page reloads by itself.",
        ApprovalState.Approved => "Approved: the call runs once when the caller sends it (again) with exactly the same arguments.",
        ApprovalState.Used => "Approved and used: the call ran. Running it again needs a new approval.",
        ApprovalState.Denied => "Denied: the call was not run. Calling again makes a new request.",
        _ => "Expired: it authorizes nothing any more. Calling again makes a new request.",
    };

    private static async Task WriteAsync(HttpContext context, int status, string title, string body, bool refresh)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        // Nothing to run and nothing to embed: the page is text the gateway wrote, and no other site may frame it.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Html(title)} · Proctor</title>"
            + (refresh ? $"<meta http-equiv=\"refresh\" content=\"{RefreshSeconds}\">" : "")
            + "<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:2em auto;padding:0 1em}dt{font-weight:600}pre{background:#f4f4f4;padding:.5em;overflow:auto}.state{font-size:1.4em;font-weight:700}.pending{color:#8a5a00}.approved,.used{color:#1a7f37}.denied,.expired{color:#b42318}</style>"
            + $"</head><body><h1>{Html(title)}</h1>{body}</body></html>";
        await context.Response.WriteAsync(html, context.RequestAborted).ConfigureAwait(false);
    }

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
