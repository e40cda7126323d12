using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Identity.Tokens;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Http.Health;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: per-upstream state and reason; 503 only when
/// upstreams are configured and none is ready, since one dead upstream never stops the others.
/// Reasons come from connectors and never contain secret values. With an identity section, 503 also
/// when a trusted issuer's signing keys cannot be fetched: no token of it can be checked then.
/// </summary>
internal sealed class HealthEndpoints(UpstreamRegistry upstreams, IIdentityHealth? identity = null)
{
    public Task Live(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("ok\n", context.RequestAborted);
    }

    public async Task ReadyAsync(HttpContext context)
    {
        var report = new JsonObject();
        var ready = 0;
        foreach (var upstream in upstreams.Ordered)
        {
            var health = upstream.Health;
            ready += health.State == UpstreamState.Ready ? 1 : 0;
            report[upstream.Name] = new JsonObject
            {
                ["state"] = health.State.ToString().ToLowerInvariant(),
                ["era"] = health.Era,
                ["protocolVersion"] = upstream.Description?.ProtocolVersion,
                ["since"] = health.Since.ToString("O"),
                ["restarts"] = health.Restarts,
                ["reason"] = health.Reason,
            };
        }

        var body = new JsonObject { ["ready"] = ready > 0 || upstreams.Ordered.Count == 0, ["upstreams"] = report };
        if (identity is not null)
        {
            var (issuers, keysReady) = await IdentityReportAsync(identity, context.RequestAborted).ConfigureAwait(false);
            body["identity"] = issuers;
            body["ready"] = (bool)body["ready"]! && keysReady;
        }

        context.Response.StatusCode = (bool)body["ready"]! ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, new JsonSerializerOptions { WriteIndented = true }), context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Each trusted issuer's key state, with no provider text (the log has the failure: event 2270).</summary>
    private static async Task<(JsonObject Issuers, bool Ready)> IdentityReportAsync(IIdentityHealth identity, CancellationToken cancellationToken)
    {
        var issuers = new JsonObject();
        var ready = true;
        foreach (var issuer in await identity.CheckAsync(cancellationToken).ConfigureAwait(false))
        {
            ready &= issuer.State == IssuerKeyState.Ready;
            issuers[issuer.Issuer] = new JsonObject
            {
                ["keys"] = issuer.State switch { IssuerKeyState.Ready => "ready", IssuerKeyState.Unreachable => "unreachable", _ => "unknown" },
                ["since"] = issuer.Since.ToString("O"),
            };
        }

        return (new JsonObject { ["issuers"] = issuers }, ready);
    }
}
