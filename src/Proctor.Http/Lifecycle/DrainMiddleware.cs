using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Api;
using Proctor.Http.Mcp;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Lifecycle;

/// <summary>
/// Where the drain meets HTTP. Before shutdown it counts the requests in flight and gives each a
/// <see cref="HttpContext.RequestAborted"/> that the drain can cancel: calls at the deadline, streams at once.
/// Once the drain has begun it answers <c>/readyz</c> with 503 (load balancers stop sending traffic) and refuses
/// new requests with 503 and <c>Connection: close</c>, while the calls already in flight finish. A POST on an
/// existing session still reaches the endpoint, which refuses new requests there itself, because it may carry
/// what a call in flight waits for (an answer to a server request, a cancellation).
/// </summary>
internal sealed class DrainMiddleware(RequestDelegate next, GatewayDrain drain)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/readyz") && drain.IsDraining)
        {
            await HttpReplies.JsonAsync(context, StatusCodes.Status503ServiceUnavailable, new JsonObject { ["ready"] = false, ["draining"] = true }).ConfigureAwait(false);
            return;
        }

        if (!path.StartsWithSegments("/mcp") && !path.StartsWithSegments("/api"))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (IsStream(context.Request))
        {
            await StreamAsync(context).ConfigureAwait(false);
            return;
        }

        var inSession = HttpMethods.IsPost(context.Request.Method) && context.Request.Headers.ContainsKey(McpHeaders.SessionId);
        if (!drain.TryEnter(admitWhileDraining: inSession))
        {
            await RefuseAsync(context).ConfigureAwait(false);
            return;
        }

        var original = context.RequestAborted;
        using var call = CancellationTokenSource.CreateLinkedTokenSource(original, drain.CallsCancelled);
        context.RequestAborted = call.Token;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (drain.CallsCancelled.IsCancellationRequested && !original.IsCancellationRequested)
        {
            // The drain's deadline cancelled this call; the answer below says so.
        }
        finally
        {
            context.RequestAborted = original;
            drain.Leave();
        }

        if (drain.CallsCancelled.IsCancellationRequested && !original.IsCancellationRequested && !context.Response.HasStarted)
        {
            await WriteAsync(context, "The gateway shut down before this call finished (gateway.shutdownTimeout passed); the call was cancelled and recorded as cancelled. Retry on another instance.").ConfigureAwait(false);
        }
    }

    /// <summary>Refuses a request that arrived after the drain began; used by the endpoint too, for new requests on a session.</summary>
    public static Task RefuseAsync(HttpContext context, JsonNode? id = null) =>
        WriteAsync(context, "The gateway is shutting down and accepts no new requests; retry on another instance (session-era clients: send initialize again there).", id);

    private static Task WriteAsync(HttpContext context, string message, JsonNode? id = null)
    {
        if (HttpProtocol.IsHttp11(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return context.Request.Path.StartsWithSegments("/api")
            ? ApiReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ReasonCodes.ShuttingDown, message)
            : HttpReplies.JsonAsync(context, StatusCodes.Status503ServiceUnavailable,
                JsonRpc.Error(id, JsonRpcErrorCodes.Refused, message, new JsonObject { ["reason"] = ReasonCodes.ShuttingDown }));
    }

    /// <summary>A session-era GET stream or a 2026-07-28 <c>subscriptions/listen</c> (its method is mirrored in a required header).</summary>
    private static bool IsStream(HttpRequest request) =>
        request.Path.StartsWithSegments("/mcp")
        && (HttpMethods.IsGet(request.Method) || request.Headers[McpHeaders.Method] == McpMethods.SubscriptionsListen);

    /// <summary>Streams are not waited for: they end when the drain begins, and a new one is refused.</summary>
    private async Task StreamAsync(HttpContext context)
    {
        if (drain.IsDraining)
        {
            await RefuseAsync(context).ConfigureAwait(false);
            return;
        }

        var original = context.RequestAborted;
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(original, drain.StreamsEnded);
        context.RequestAborted = stream.Token;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (drain.StreamsEnded.IsCancellationRequested)
        {
            // Ended by the drain: the client reconnects, and is sent elsewhere by the load balancer.
        }
        finally
        {
            context.RequestAborted = original;
        }
    }
}
