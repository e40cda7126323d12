using System.Text.Json.Nodes;
using Proctor.Mcp.Bridging;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Clients;

/// <summary>
/// A 2026-07-28 message: judged, its headers checked against its body, then a notification is recorded (closing
/// the stream is what cancels in 2026-07-28, so that is all it does), <c>server/discover</c> is answered here,
/// <c>subscriptions/listen</c> is served here when no single 2026-07-28 upstream can, and anything else runs
/// through the coordinator (which bridges session-era upstreams). Closing the stream ends the request.
/// </summary>
internal sealed class ModernRequests(McpDispatcher dispatcher, ModernCallCoordinator modern, ListenBridge listen, ClientNotificationRelay notifications, ProtocolRefusals refusals)
{
    public async Task<ClientReply> HandleAsync(ClientPost post)
    {
        var (route, message, gone) = (post.Route, post.Message, post.Channel.ClientGone);
        var verdict = ClientMessages.Judge(message, modern: true);
        if (verdict.Kind == ClientMessageKind.Refused)
        {
            var claimed = JsonRpc.Params(message)?["_meta"]?[ProtocolVersions.MetaProtocolVersion]?.ToString() ?? post.Headers.ProtocolVersion;
            var refused = post.Caller with { ClientInfo = null, ProtocolVersion = ProtocolRefusals.KnownVersion(claimed) };
            return await refusals.RefuseAsync(refused, route, ProtocolRefusals.Error(message["id"], verdict, JsonRpc.Method(message))).ConfigureAwait(false);
        }

        if (ModernHeaders.Validate(post.Headers, message) is { } invalid)
        {
            return ClientReply.Json(invalid, ModernHeaders.StatusFor(invalid));
        }

        var meta = JsonRpc.Params(message)!["_meta"]!.AsObject();
        var caller = post.Caller with { ClientInfo = meta[ProtocolVersions.MetaClientInfo] as JsonObject, ProtocolVersion = meta[ProtocolVersions.MetaProtocolVersion]!.ToString() };
        var capabilities = meta[ProtocolVersions.MetaClientCapabilities] as JsonObject ?? new JsonObject();
        var answer = new PlainAnswerStream(post.Channel);
        var request = new ClientRequest(route, message, caller, new ModernClientChannel(capabilities, answer, post.Headers.ParamHeaders), null);
        if (verdict.Kind == ClientMessageKind.Notification)
        {
            // notifications/cancelled: over HTTP closing the stream is what cancels, so it has no effect but its record.
            return ClientReply.ForNotification(await notifications.RecordAsync(request).ConfigureAwait(false));
        }

        var method = JsonRpc.Method(message)!;
        if (method == McpMethods.SubscriptionsListen && (route.IsAggregate || !dispatcher.Upstreams.ByName[route.Server!].ServesModern))
        {
            try
            {
                await listen.RunAsync(request, gone).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (gone.IsCancellationRequested)
            {
                // The client closed the stream: that ends the subscription.
            }

            return ClientReply.Streamed;
        }

        JsonObject response;
        if (method == McpMethods.Discover)
        {
            response = JsonRpc.Result(message["id"], ServerIdentity.DiscoverResult(dispatcher.Upstreams, route));
        }
        else
        {
            try
            {
                response = await modern.HandleAsync(request, gone).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (gone.IsCancellationRequested)
            {
                return ClientReply.Streamed; // The client closed the stream: that is the 2026-07-28 cancellation.
            }
        }

        ModernResults.Complete(method, response);
        return await answer.CompleteAsync(response, gone).ConfigureAwait(false) ? ClientReply.Streamed : ClientReply.Json(response, ModernHeaders.StatusFor(response));
    }
}
