using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Http.Health;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: per-upstream state and reason; 503 only when
/// upstreams are configured and none is ready, since one dead upstream never stops the others.
/// Reasons come from connectors and never contain secret values.
/// </summary>
internal sealed class HealthEndpoints(UpstreamRegistry upstreams)
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
        context.Response.StatusCode = (bool)body["ready"]! ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, new JsonSerializerOptions { WriteIndented = true }), context.RequestAborted).ConfigureAwait(false);
    }
}
