using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Identity;
using Proctor.Http.Lifecycle;
using Proctor.Http.Limits;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Http.Mcp;

/// <summary>
/// Streamable HTTP for clients of both eras on one endpoint, as a thin adapter: past the origin check and admission
/// (<see cref="OriginMiddleware"/>, the <c>Proctor</c> scheme and the MCP policy, decision 0033), it reads the body
/// within its limit and parses it, admits requests under the caller's limits, hands the message with its headers'
/// values to <see cref="ClientFront"/> (where eras, sessions and every MCP decision live), and writes the reply it
/// gets back with its status code.
/// </summary>
internal sealed class McpEndpoint(
    ClientFront front,
    ClientSessionStore sessions,
    McpHttpOptions options,
    BearerAuthentication bearer,
    RequestAdmission admission,
    GatewayDrain drain)
{
    public async Task PostAsync(HttpContext context, Route route)
    {
        if (!await AdmitAsync(context, route).ConfigureAwait(false))
        {
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is not { } read)
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, JsonRpcErrorCodes.RequestTooLarge,
                $"The request body exceeds the gateway's limit of {options.MaxRequestBytes} bytes (gateway.maxRequestBytes).").ConfigureAwait(false);
            return;
        }

        var headers = HeadersOf(context.Request);
        if (!JsonRpc.TryParse(read.Span, out var message, out var parseError))
        {
            await WriteAsync(context, await front.RefuseUnreadableAsync(route, CallerOf(context), headers, parseError).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        // Responses and notifications start nothing (and may be what a call in flight waits for): only requests are admitted.
        if (JsonRpc.Classify(message) != JsonRpcKind.Request)
        {
            await ExchangeAsync(context, route, message, headers).ConfigureAwait(false);
            return;
        }

        var (admitted, lease) = await admission.AdmitAsync(context, CallerOf(context), message).ConfigureAwait(false);
        if (!admitted)
        {
            return;
        }

        using (lease)
        {
            await ExchangeAsync(context, route, message, headers).ConfigureAwait(false);
        }
    }

    public async Task GetAsync(HttpContext context, Route route)
    {
        if (!await AdmitAsync(context, route).ConfigureAwait(false))
        {
            return;
        }

        var channel = new HttpResponseChannel(context, drain.CallsCancelled);
        try
        {
            var reply = await front.GetAsync(new ClientGet(route, CallerOf(context), HeadersOf(context.Request), channel)).ConfigureAwait(false);
            await channel.CloseAsync().ConfigureAwait(false);
            await WriteAsync(context, reply).ConfigureAwait(false);
        }
        finally
        {
            await channel.CloseAsync().ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(HttpContext context, Route route)
    {
        if (await AdmitAsync(context, route).ConfigureAwait(false))
        {
            await WriteAsync(context, front.Delete(route, CallerOf(context), HeadersOf(context.Request))).ConfigureAwait(false);
        }
    }

    private async Task ExchangeAsync(HttpContext context, Route route, JsonObject message, ClientHeaders headers)
    {
        var channel = new HttpResponseChannel(context, drain.CallsCancelled);
        try
        {
            var reply = await front.PostAsync(new ClientPost(route, message, CallerOf(context), headers, channel)).ConfigureAwait(false);
            await channel.CloseAsync().ConfigureAwait(false); // nothing more goes on the stream, whoever still holds it
            await WriteAsync(context, reply).ConfigureAwait(false);
        }
        finally
        {
            await channel.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>An upstream of that name (404); origin and credentials were checked before the endpoint.</summary>
    private async Task<bool> AdmitAsync(HttpContext context, Route route)
    {
        if (front.Unroutable(route) is { } unroutable)
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidRequest, unroutable).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private Task WriteAsync(HttpContext context, ClientReply reply)
    {
        if (reply.IsStreamed || context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        if (reply.RefusedOpening is { } refused)
        {
            return admission.RefuseSessionAsync(context, refused.Id, refused.Opening, sessions, refused.Caller);
        }

        if (reply.SessionId is { } sessionId)
        {
            context.Response.Headers[McpHeaders.SessionId] = sessionId;
        }

        if (reply.Status == ReplyStatus.MethodNotAllowed)
        {
            context.Response.Headers.Allow = "POST";
        }

        // A policy refusal for want of a scope is the transport's 403 with its challenge (MCP authorization, scope challenge handling).
        var status = reply.Body is { } body && bearer.ScopeChallenge(context, body) is { } challenged ? challenged : HttpReplies.StatusOf(reply.Status);
        if (reply.Body is null)
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        return HttpReplies.JsonAsync(context, status, reply.Body);
    }

    /// <summary>The caller as authentication established it; the front adds what the message says (client info, version).</summary>
    private static Caller CallerOf(HttpContext context) => context.Caller();

    private static ClientHeaders HeadersOf(HttpRequest request) => new()
    {
        SessionId = request.Headers[McpHeaders.SessionId].ToString(),
        ProtocolVersion = request.Headers[McpHeaders.ProtocolVersion].ToString(),
        Method = request.Headers[McpHeaders.Method].ToString(),
        Name = request.Headers[McpHeaders.Name].ToString(),
        ParamHeaders = ParamHeadersOf(request),
        LastEventId = request.Headers[LastEventIdHeader].ToString(),
    };

    private static IReadOnlyList<KeyValuePair<string, string>> ParamHeadersOf(HttpRequest request)
    {
        List<KeyValuePair<string, string>>? found = null;
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(McpHeaders.ParamPrefix, StringComparison.OrdinalIgnoreCase))
            {
                (found ??= []).Add(new(name, values.ToString()));
            }
        }

        return found ?? [];
    }

    /// <summary>The SSE resumption header (WHATWG HTML, "server-sent events").</summary>
    private const string LastEventIdHeader = "Last-Event-ID";
}
