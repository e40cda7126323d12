using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// <c>initialize</c>: negotiates the session-era version, opens a session bound to the caller (within the session
/// limits), and answers only once the opening is on record: a session whose opening cannot be recorded is not opened.
/// </summary>
internal sealed class SessionOpener(McpDispatcher dispatcher, ClientSessionStore sessions, ISessionRecorder recorder, ProtocolRefusals refusals)
{
    public async Task<ClientReply> OpenAsync(ClientPost post)
    {
        var (route, message) = (post.Route, post.Message);
        var parameters = JsonRpc.Params(message);
        var version = ProtocolVersions.NegotiateLegacy(parameters?["protocolVersion"]?.ToString());
        var caller = post.Caller with { ClientInfo = parameters?["clientInfo"] as JsonObject, ProtocolVersion = version };
        if (ClientMessages.Judge(message, modern: false) is { Kind: not ClientMessageKind.Request } verdict)
        {
            return await refusals.RefuseAsync(caller, route, ProtocolRefusals.Error(message["id"], verdict, McpMethods.Initialize)).ConfigureAwait(false);
        }

        var capabilities = parameters?["capabilities"]?.DeepClone() as JsonObject ?? new JsonObject();
        var opening = sessions.Open(route, caller.Key, IdentityKeys.Of(caller), version, capabilities, parameters?["clientInfo"]?.DeepClone() as JsonObject);
        if (opening.Session is not { } session)
        {
            return new ClientReply(ReplyStatus.Ok, null) { RefusedOpening = new RefusedOpening(opening, caller, message["id"]) };
        }

        if (!route.IsAggregate && dispatcher.Upstreams.ByName[route.Server!].Description is null)
        {
            sessions.Remove(session.Id);
            return ClientReply.Json(JsonRpc.Error(message["id"], JsonRpcErrorCodes.UpstreamUnavailable,
                $"Upstream '{route.Server}' has not connected yet ({dispatcher.Upstreams.ByName[route.Server!].Health.Reason ?? "starting"}); retry shortly."));
        }

        try
        {
            // Not cancellable, as the Record stage's request: a client leaving mid-commit must not leave an opening
            // the ledger may hold without the session being known as open, whose close would then go unrecorded.
            await recorder.OpenedAsync(session.Id, route.ToString(), caller with { SessionId = session.Id }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RecordingFailedException ex)
        {
            sessions.Remove(session.Id);
            return ClientReply.Json(JsonRpc.Error(message["id"], JsonRpcErrorCodes.Refused,
                $"The gateway could not record the opening of this session in its audit ledger ({ex.Message}), so it did not open it. Retry once the ledger is writable again; /readyz shows its state.",
                new JsonObject { ["reason"] = ReasonCodes.LedgerUnavailable }));
        }

        return ClientReply.Json(JsonRpc.Result(message["id"], ServerIdentity.InitializeResult(dispatcher.Upstreams, route, version))) with { SessionId = session.Id };
    }
}
