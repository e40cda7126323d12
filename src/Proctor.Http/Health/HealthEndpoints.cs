using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Api;

namespace Proctor.Http.Health;

/// <summary>
/// <c>/healthz</c>: the process answers. <c>/readyz</c>: one section per <see cref="IReadinessSource"/>,
/// 200 when every source is ready, else 503. Anyone may read states; reasons, which can quote an upstream,
/// are shown only to a caller whose bearer token holds the auditor or admin role (decision 0016). A
/// request with an Authorization header that does not qualify is refused as <c>/api</c> refuses it.
/// </summary>
internal sealed class HealthEndpoints(IEnumerable<IReadinessSource> sources, ApiAccess? access = null)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly IReadinessSource[] _sources = [.. sources];

    public Task Live(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync("ok\n", context.RequestAborted);
    }

    public async Task ReadyAsync(HttpContext context)
    {
        var details = false;
        if (context.Request.Headers.Authorization.Count > 0 && access is not null)
        {
            if (!await access.AuthorizeReadAsync(context).ConfigureAwait(false))
            {
                return; // the refusal is written
            }

            details = true;
        }

        var body = new JsonObject { ["ready"] = true };
        var ready = true;
        foreach (var source in _sources)
        {
            var report = await source.CheckAsync(details, context.RequestAborted).ConfigureAwait(false);
            ready &= report.Ready;
            body[source.Name] = report.Body;
        }

        body["ready"] = ready;
        context.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(body, Indented), context.RequestAborted).ConfigureAwait(false);
    }
}
