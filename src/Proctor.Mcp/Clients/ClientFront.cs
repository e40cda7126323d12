using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Bridging;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Mcp.Clients;

/// <summary>
/// The gateway's MCP front for clients of both eras, whatever carries their messages: era detection, legacy
/// sessions (<c>initialize</c>, messages within a session, GET streams and their resumption, DELETE), 2026-07-28
/// requests, and every refusal as a transport-neutral reply. The transport parses, authenticates, admits, and
/// writes what it is given (Streamable HTTP: <c>Proctor.Http</c>'s <c>McpEndpoint</c>).
/// </summary>
public sealed class ClientFront
{
    private readonly McpDispatcher _dispatcher;
    private readonly ClientSessionStore _sessions;
    private readonly ProtocolRefusals _refusals;
    private readonly SessionOpener _opener;
    private readonly SessionMessages _messages;
    private readonly SessionListener _listener;
    private readonly ModernRequests _modern;

    public ClientFront(McpDispatcher dispatcher, ModernCallCoordinator modern, ListenBridge listen, ClientSessionStore sessions, ISessionRecorder recorder,
        ClientNotificationRelay notifications, ProtocolRefusals refusals, TimeProvider time, ILogger<ClientFront> logger)
    {
        _dispatcher = dispatcher;
        _sessions = sessions;
        _refusals = refusals;
        _opener = new SessionOpener(dispatcher, sessions, recorder, refusals);
        _messages = new SessionMessages(dispatcher, sessions, notifications, refusals);
        _listener = new SessionListener(time, logger);
        _modern = new ModernRequests(dispatcher, modern, listen, notifications, refusals);
    }

    /// <summary>Why nothing can be served on <paramref name="route"/> (no upstream of that name), or null.</summary>
    public string? Unroutable(Route route) =>
        route.IsAggregate || _dispatcher.Upstreams.ByName.ContainsKey(route.Server!)
            ? null
            : $"No upstream server is named '{route.Server}'. Configured: {string.Join(", ", _dispatcher.Upstreams.ByName.Keys)}.";

    public Task<ClientReply> PostAsync(ClientPost post) => ClientEras.Detect(post.Headers, post.Message) switch
    {
        ClientEra.Session => _messages.HandleAsync(post),
        ClientEra.Initialize => _opener.OpenAsync(post),
        ClientEra.Modern => _modern.HandleAsync(post),
        _ => Task.FromResult(ClientReply.Error(ReplyStatus.BadRequest, JsonRpcErrorCodes.InvalidRequest,
            "Bad Request: no Mcp-Session-Id header. Session-era clients send initialize first and then the Mcp-Session-Id it returned; 2026-07-28 clients send MCP-Protocol-Version: 2026-07-28 and put io.modelcontextprotocol/protocolVersion in params._meta.",
            post.Message["id"])),
    };

    /// <summary>A body that is not a JSON-RPC message: recorded as a refusal of the caller alone (no session is trusted before the message is understood).</summary>
    public Task<ClientReply> RefuseUnreadableAsync(Route route, Caller caller, ClientHeaders headers, JsonObject error) =>
        _refusals.RefuseAsync(caller with { ClientInfo = null, ProtocolVersion = ProtocolRefusals.KnownVersion(headers.ProtocolVersion) }, route, error);

    /// <summary>Opens or resumes a session's stream; without a session there is none (2026-07-28 listens over POST).</summary>
    public async Task<ClientReply> GetAsync(ClientGet get)
    {
        if (get.Headers.SessionId.Length == 0)
        {
            return ClientReply.Error(ReplyStatus.MethodNotAllowed, JsonRpcErrorCodes.InvalidRequest,
                "GET opens a session-era notification stream and needs Mcp-Session-Id; 2026-07-28 clients use subscriptions/listen over POST.");
        }

        var (session, refusal) = SessionAccess.Find(_sessions, get.Headers.SessionId, get.Route, get.Caller);
        return session is null ? refusal! : await _listener.ListenAsync(session, get.Headers.LastEventId, get.Channel).ConfigureAwait(false);
    }

    /// <summary>Ends the caller's session (its calls are cancelled, its close recorded).</summary>
    public ClientReply Delete(Route route, Caller caller, ClientHeaders headers)
    {
        if (headers.SessionId.Length == 0)
        {
            return ClientReply.Error(ReplyStatus.MethodNotAllowed, JsonRpcErrorCodes.InvalidRequest, "DELETE ends a session-era session and needs Mcp-Session-Id; 2026-07-28 has no sessions.");
        }

        var (session, refusal) = SessionAccess.Find(_sessions, headers.SessionId, route, caller);
        if (session is null)
        {
            return refusal!;
        }

        _sessions.Remove(session.Id);
        return new ClientReply(ReplyStatus.Ok, null);
    }
}
