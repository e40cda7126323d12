using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Identity;
using Proctor.Http.Limits;
using Proctor.Mcp.Bridging;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Http.Mcp;

/// <summary>
/// Streamable HTTP for clients of both eras on one endpoint. A POST of <c>initialize</c> or one carrying
/// <c>Mcp-Session-Id</c> is session-era; any other POST is 2026-07-28 and must carry its own metadata.
/// Every message is judged by <see cref="ClientMessages"/> first: a request runs the pipeline, a notification
/// the client may send is recorded before it has any effect, and anything else is refused and recorded.
/// </summary>
internal sealed class McpEndpoint(
    McpDispatcher dispatcher,
    ModernCallCoordinator modern,
    ListenBridge listen,
    ClientSessionStore sessions,
    McpHttpOptions options,
    OriginPolicy origins,
    BearerAuthentication bearer,
    ISessionRecorder recorder,
    ClientNotificationRelay notifications,
    ProtocolRefusals refusals,
    RequestAdmission admission)
{
    private const string SessionHeader = McpHeaders.SessionId;
    private const string VersionHeader = McpHeaders.ProtocolVersion;

    public async Task PostAsync(HttpContext context, Route route)
    {
        if (!await AdmitAsync(context, route).ConfigureAwait(false))
        {
            return;
        }

        var body = await RequestBody.ReadAsync(context.Request, options.MaxRequestBytes, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status413PayloadTooLarge, JsonRpcErrorCodes.RequestTooLarge,
                $"The request body exceeds the gateway's limit of {options.MaxRequestBytes} bytes (gateway.maxRequestBytes).").ConfigureAwait(false);
            return;
        }

        if (!JsonRpc.TryParse(body, out var message, out var parseError))
        {
            // No session is trusted yet (its header is not checked until the message is understood): the caller alone.
            await RefuseAsync(context, route, CallerOf(context, null, KnownVersion(context.Request.Headers[VersionHeader].ToString())), parseError).ConfigureAwait(false);
            return;
        }

        // Responses and notifications start nothing (and may be what a call in flight waits for): only requests are admitted.
        if (JsonRpc.Classify(message) != JsonRpcKind.Request)
        {
            await RouteAsync(context, route, message).ConfigureAwait(false);
            return;
        }

        var (admitted, lease) = await admission.AdmitAsync(context, CallerOf(context, null, ""), message).ConfigureAwait(false);
        if (!admitted)
        {
            return;
        }

        using (lease)
        {
            await RouteAsync(context, route, message).ConfigureAwait(false);
        }
    }

    private async Task RouteAsync(HttpContext context, Route route, JsonObject message)
    {
        var sessionId = context.Request.Headers[SessionHeader].ToString();
        var modernHeader = ProtocolVersions.IsModern(context.Request.Headers[VersionHeader].ToString());
        if (sessionId.Length > 0)
        {
            await LegacyAsync(context, route, message, sessionId).ConfigureAwait(false);
        }
        else if (!modernHeader && JsonRpc.Method(message) == McpMethods.Initialize)
        {
            await InitializeAsync(context, route, message).ConfigureAwait(false);
        }
        else if (modernHeader || JsonRpc.Params(message)?["_meta"]?[ProtocolVersions.MetaProtocolVersion] is not null)
        {
            await ModernAsync(context, route, message).ConfigureAwait(false);
        }
        else
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrorCodes.InvalidRequest,
                "Bad Request: no Mcp-Session-Id header. Session-era clients send initialize first and then the Mcp-Session-Id it returned; 2026-07-28 clients send MCP-Protocol-Version: 2026-07-28 and put io.modelcontextprotocol/protocolVersion in params._meta.",
                message["id"]).ConfigureAwait(false);
        }
    }

    public async Task GetAsync(HttpContext context, Route route)
    {
        var session = await SessionForGetOrDeleteAsync(context, route,
            "GET opens a session-era notification stream and needs Mcp-Session-Id; 2026-07-28 clients use subscriptions/listen over POST.").ConfigureAwait(false);
        if (session is not null)
        {
            await new SessionStream(session).RunAsync(context).ConfigureAwait(false);
        }
    }

    public async Task DeleteAsync(HttpContext context, Route route)
    {
        var session = await SessionForGetOrDeleteAsync(context, route,
            "DELETE ends a session-era session and needs Mcp-Session-Id; 2026-07-28 has no sessions.").ConfigureAwait(false);
        if (session is not null)
        {
            sessions.Remove(session.Id);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }
    }

    /// <summary>GET and DELETE exist only for sessions: without a session id they answer 405 (2026-07-28 clients).</summary>
    private async Task<ClientSession?> SessionForGetOrDeleteAsync(HttpContext context, Route route, string withoutSession)
    {
        if (!await AdmitAsync(context, route).ConfigureAwait(false))
        {
            return null;
        }

        var session = await FindSessionAsync(context, route, required: false).ConfigureAwait(false);
        if (session is null && !context.Response.HasStarted && context.Response.StatusCode == StatusCodes.Status200OK)
        {
            context.Response.Headers.Allow = "POST";
            await HttpReplies.ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, JsonRpcErrorCodes.InvalidRequest, withoutSession).ConfigureAwait(false);
        }

        return session;
    }

    private async Task<bool> AdmitAsync(HttpContext context, Route route)
    {
        if (origins.Refusal(context.Request) is { } refusal)
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrorCodes.InvalidRequest, refusal).ConfigureAwait(false);
            return false;
        }

        if (!await bearer.AuthenticateAsync(context, route.Server).ConfigureAwait(false))
        {
            return false;
        }

        if (!route.IsAggregate && !dispatcher.Upstreams.ByName.ContainsKey(route.Server!))
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidRequest,
                $"No upstream server is named '{route.Server}'. Configured: {string.Join(", ", dispatcher.Upstreams.ByName.Keys)}.").ConfigureAwait(false);
            return false;
        }

        return true;
    }

    private async Task InitializeAsync(HttpContext context, Route route, JsonObject message)
    {
        var parameters = JsonRpc.Params(message);
        var version = ProtocolVersions.NegotiateLegacy(parameters?["protocolVersion"]?.ToString());
        var caller = CallerOf(context, parameters?["clientInfo"] as JsonObject, version);
        if (ClientMessages.Judge(message, modern: false) is { Kind: not ClientMessageKind.Request } verdict)
        {
            await RefuseAsync(context, route, caller, ProtocolRefusals.Error(message["id"], verdict, McpMethods.Initialize)).ConfigureAwait(false);
            return;
        }

        var capabilities = parameters?["capabilities"]?.DeepClone() as JsonObject ?? new JsonObject();
        var opening = sessions.Open(route, caller.Key, IdentityKeys.Of(caller), version, capabilities, parameters?["clientInfo"]?.DeepClone() as JsonObject);
        if (opening.Session is not { } session)
        {
            await admission.RefuseSessionAsync(context, message["id"], opening, sessions, caller).ConfigureAwait(false);
            return;
        }

        if (!route.IsAggregate && dispatcher.Upstreams.ByName[route.Server!].Description is null)
        {
            sessions.Remove(session.Id);
            await HttpReplies.JsonAsync(context, StatusCodes.Status200OK, JsonRpc.Error(message["id"], JsonRpcErrorCodes.UpstreamUnavailable,
                $"Upstream '{route.Server}' has not connected yet ({dispatcher.Upstreams.ByName[route.Server!].Health.Reason ?? "starting"}); retry shortly.")).ConfigureAwait(false);
            return;
        }

        try
        {
            // Not cancellable, as the Record stage's request: a client leaving mid-commit must not leave an opening
            // the ledger may hold without the session being known as open, whose close would then go unrecorded.
            await recorder.OpenedAsync(session.Id, route.IsAggregate ? "/mcp" : $"/mcp/{route.Server}", caller with { SessionId = session.Id }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RecordingFailedException ex)
        {
            sessions.Remove(session.Id);
            await HttpReplies.JsonAsync(context, StatusCodes.Status200OK, JsonRpc.Error(message["id"], JsonRpcErrorCodes.Refused,
                $"The gateway could not record the opening of this session in its audit ledger ({ex.Message}), so it did not open it. Retry once the ledger is writable again; /readyz shows its state.",
                new JsonObject { ["reason"] = ReasonCodes.LedgerUnavailable })).ConfigureAwait(false);
            return;
        }

        context.Response.Headers[SessionHeader] = session.Id;
        await HttpReplies.JsonAsync(context, StatusCodes.Status200OK, JsonRpc.Result(message["id"], ServerIdentity.InitializeResult(dispatcher.Upstreams, route, version))).ConfigureAwait(false);
    }

    private async Task LegacyAsync(HttpContext context, Route route, JsonObject message, string sessionId)
    {
        var session = await FindSessionAsync(context, route, required: true).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        var caller = CallerOf(context, session.ClientInfo, session.ProtocolVersion) with { SessionId = session.Id };
        var verdict = ClientMessages.Judge(message, modern: false);
        switch (verdict.Kind)
        {
            case ClientMessageKind.Refused:
                await RefuseAsync(context, route, caller, ProtocolRefusals.Error(message["id"], verdict, JsonRpc.Method(message))).ConfigureAwait(false);
                return;
            case ClientMessageKind.Response:
                // Matched to the server request it answers, it passes that call's message steps (Mask, then Record)
                // before it is sent upstream (PipelineCallSink); one that answers nothing goes nowhere.
                if (message["id"]?.ToString() is { } answered && session.AwaitingClient.TryGetValue(answered, out var waiter))
                {
                    waiter.TrySetResult(message);
                }

                HttpReplies.Accepted(context);
                return;
            case ClientMessageKind.Notification:
                await LegacyNotificationAsync(context, session, route, message, caller).ConfigureAwait(false);
                return;
        }

        var stream = new ResponseStream(context);
        var request = new ClientRequest(route, message, caller, new LegacyClientChannel(session, stream), session.Subscriptions);
        var key = message["id"]!.ToJsonString();
        using var call = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        session.InFlight[key] = call;
        try
        {
            var response = await dispatcher.HandleAsync(request, call.Token).ConfigureAwait(false);
            if (JsonRpc.Method(message) == McpMethods.LoggingSetLevel && !JsonRpc.IsError(response))
            {
                session.LogLevel = JsonRpc.Params(message)?["level"]?.ToString(); // entitles the session to logs outside any call (UnsolicitedRelay)
            }

            await stream.CompleteAsync(response, context.RequestAborted, bearer.ScopeChallenge(context, response) ?? StatusCodes.Status200OK).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (call.IsCancellationRequested)
        {
            // Cancelled by notifications/cancelled or by the client going away: the spec says send nothing.
            if (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
            {
                HttpReplies.Accepted(context);
            }
        }
        finally
        {
            session.InFlight.TryRemove(key, out _);
        }
    }

    /// <summary>
    /// Recorded before it has any effect (cancelling a call, being forwarded), except <c>notifications/initialized</c>:
    /// it completes the session's opening, already on record as <c>session.open</c>, and goes no further.
    /// </summary>
    private async Task LegacyNotificationAsync(HttpContext context, ClientSession session, Route route, JsonObject message, Caller caller)
    {
        var method = JsonRpc.Method(message);
        if (method == McpMethods.Initialized)
        {
            session.Initialized = true;
            HttpReplies.Accepted(context);
            return;
        }

        var request = new ClientRequest(route, message, caller, new LegacyClientChannel(session, new ResponseStream(context)), session.Subscriptions);
        JsonObject? refused;
        if (method == McpMethods.Cancelled)
        {
            // Cancellation reaches the upstream through the cancelled call (SessionUpstream sends its own
            // notifications/cancelled with the upstream's id), never as the client's message.
            refused = await notifications.RecordAsync(request).ConfigureAwait(false);
            if (refused is null && message["params"]?["requestId"]?.ToJsonString() is { } cancelled && session.InFlight.TryGetValue(cancelled, out var call))
            {
                await call.CancelAsync().ConfigureAwait(false);
            }
        }
        else
        {
            refused = await notifications.ForwardAsync(request, context.RequestAborted).ConfigureAwait(false);
        }

        await AcceptOrRefuseAsync(context, refused).ConfigureAwait(false);
    }

    /// <summary>202 for an accepted notification; otherwise the transport's "cannot accept" answer: an HTTP error with a JSON-RPC error.</summary>
    private static Task AcceptOrRefuseAsync(HttpContext context, JsonObject? refused)
    {
        if (refused is null)
        {
            HttpReplies.Accepted(context);
            return Task.CompletedTask;
        }

        var reason = refused["error"]?["data"]?["reason"]?.GetValue<string>();
        return HttpReplies.JsonAsync(context, reason == ReasonCodes.LedgerUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError, refused);
    }

    /// <summary>Records the refusal (the client is refused whether or not the ledger takes it), then answers 400.</summary>
    private async Task RefuseAsync(HttpContext context, Route route, Caller caller, JsonObject error)
    {
        await refusals.RecordAsync(caller, route, error).ConfigureAwait(false);
        await HttpReplies.JsonAsync(context, StatusCodes.Status400BadRequest, error).ConfigureAwait(false);
    }

    private async Task ModernAsync(HttpContext context, Route route, JsonObject message)
    {
        var verdict = ClientMessages.Judge(message, modern: true);
        if (verdict.Kind == ClientMessageKind.Refused)
        {
            var claimed = JsonRpc.Params(message)?["_meta"]?[ProtocolVersions.MetaProtocolVersion]?.ToString() ?? context.Request.Headers[VersionHeader].ToString();
            await RefuseAsync(context, route, CallerOf(context, null, KnownVersion(claimed)), ProtocolRefusals.Error(message["id"], verdict, JsonRpc.Method(message))).ConfigureAwait(false);
            return;
        }

        if (ModernHeaders.Validate(context.Request, message) is { } invalid)
        {
            await HttpReplies.JsonAsync(context, ModernHeaders.StatusFor(invalid), invalid).ConfigureAwait(false);
            return;
        }

        var meta = JsonRpc.Params(message)!["_meta"]!.AsObject();
        var bodyVersion = meta[ProtocolVersions.MetaProtocolVersion]!.ToString();
        var capabilities = meta[ProtocolVersions.MetaClientCapabilities] as JsonObject ?? new JsonObject();
        var stream = new ResponseStream(context);
        var request = new ClientRequest(route, message, CallerOf(context, meta[ProtocolVersions.MetaClientInfo] as JsonObject, bodyVersion), new ModernClientChannel(capabilities, stream, ParamHeadersOf(context.Request)), null);
        if (verdict.Kind == ClientMessageKind.Notification)
        {
            // notifications/cancelled: over HTTP closing the stream is what cancels, so it has no effect but its record.
            await AcceptOrRefuseAsync(context, await notifications.RecordAsync(request).ConfigureAwait(false)).ConfigureAwait(false);
            return;
        }

        JsonObject response;
        if (JsonRpc.Method(message) == McpMethods.SubscriptionsListen && (route.IsAggregate || !dispatcher.Upstreams.ByName[route.Server!].ServesModern))
        {
            try
            {
                await listen.RunAsync(request, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client closed the stream: that ends the subscription.
            }

            return;
        }

        if (JsonRpc.Method(message) == McpMethods.Discover)
        {
            response = JsonRpc.Result(message["id"], ServerIdentity.DiscoverResult(dispatcher.Upstreams, route));
        }
        else
        {
            try
            {
                response = await modern.HandleAsync(request, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return; // The client closed the stream: that is the 2026-07-28 cancellation.
            }

        }

        ModernResults.Complete(JsonRpc.Method(message)!, response);

        await stream.CompleteAsync(response, context.RequestAborted, bearer.ScopeChallenge(context, response) ?? ModernHeaders.StatusFor(response)).ConfigureAwait(false);
    }

    /// <summary>Finds the caller's session or writes the refusal: 400 without the header, 404 unknown, 403 someone else's.</summary>
    private async Task<ClientSession?> FindSessionAsync(HttpContext context, Route route, bool required)
    {
        var id = context.Request.Headers[SessionHeader].ToString();
        if (id.Length == 0)
        {
            if (required)
            {
                await HttpReplies.ErrorAsync(context, StatusCodes.Status400BadRequest, JsonRpcErrorCodes.InvalidRequest, "Bad Request: Mcp-Session-Id header is required.").ConfigureAwait(false);
            }

            return null;
        }

        var session = sessions.Find(id);
        if (session is null || session.Route != route)
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status404NotFound, JsonRpcErrorCodes.InvalidRequest,
                "Session not found: it expired or was closed. Send initialize again to open a new session.").ConfigureAwait(false);
            return null;
        }

        if (session.Owner != CallerOf(context, null, session.ProtocolVersion).Key)
        {
            await HttpReplies.ErrorAsync(context, StatusCodes.Status403Forbidden, JsonRpcErrorCodes.InvalidRequest,
                "This session belongs to another identity; a session id is not a credential. Open your own session with initialize.").ConfigureAwait(false);
            return null;
        }

        return session;
    }

    /// <summary>A version a refused message claims, as the ledger may store it: one the gateway knows, never caller-chosen text.</summary>
    private static string KnownVersion(string? claimed) => Array.IndexOf(ProtocolVersions.All, claimed) >= 0 ? claimed! : "unknown";

    private static Caller CallerOf(HttpContext context, JsonObject? clientInfo, string version) =>
        context.Items[CallerKey] is Caller verified
            ? verified with { ClientInfo = clientInfo, ProtocolVersion = version }
            : Caller.Anonymous(context.Connection.RemoteIpAddress, clientInfo, version);

    private static List<KeyValuePair<string, string>> ParamHeadersOf(HttpRequest request)
    {
        var found = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in request.Headers)
        {
            if (name.StartsWith(McpHeaders.ParamPrefix, StringComparison.OrdinalIgnoreCase))
            {
                found.Add(new(name, values.ToString()));
            }
        }

        return found;
    }

    /// <summary>Where an authentication middleware leaves the verified caller (identity issue).</summary>
    public const string CallerKey = "proctor.caller";
}
