using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Mcp.Bridging;

/// <summary>
/// Serves 2026-07-28 <c>subscriptions/listen</c> where the upstream cannot (session-era upstreams, or
/// several upstreams on <c>/mcp</c>): subscribes upstream for the requested URIs (shared and counted,
/// see <see cref="UpstreamSubscriptions"/>), acknowledges what it could honour, then relays the
/// matching notifications tagged with the subscription id until the client closes the stream.
/// </summary>
public sealed class ListenBridge(McpDispatcher dispatcher, UnsolicitedRelay relay)
{
    private const string SubscriptionIdKey = "io.modelcontextprotocol/subscriptionId";

    public async Task RunAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var filter = request.Message["params"]?["notifications"] as JsonObject ?? new JsonObject();
        var stream = new ListenStream(request.Route, Flag(filter, "toolsListChanged"), Flag(filter, "promptsListChanged"), Flag(filter, "resourcesListChanged"), request.Caller.Key);
        var owner = request with { Subscriptions = stream.Subscriptions };
        var acknowledged = new JsonObject();
        foreach (var name in new[] { "toolsListChanged", "promptsListChanged", "resourcesListChanged" })
        {
            if (Flag(filter, name))
            {
                acknowledged[name] = true;
            }
        }

        using var registration = relay.Listen(stream);
        try
        {
            var honoured = new JsonArray();
            foreach (var uri in (filter["resourceSubscriptions"] as JsonArray ?? []).Select(u => u?.GetValue<string>()).OfType<string>())
            {
                var subscribe = JsonRpc.Request($"proctor-listen-{Guid.NewGuid():N}", McpMethods.ResourcesSubscribe, new JsonObject { ["uri"] = uri });
                // Request-scoped notifications (a log the upstream writes while subscribing) are not for the listen
                // stream (2026-07-28 transport); they stay in the subscribe call's record.
                var answer = await dispatcher.HandleAsync(owner with { Message = subscribe, Channel = DetachedClientChannel.Instance }, cancellationToken).ConfigureAwait(false);
                if (!JsonRpc.IsError(answer))
                {
                    honoured.Add(uri);
                }
            }

            if (honoured.Count > 0)
            {
                acknowledged["resourceSubscriptions"] = honoured;
            }

            await request.Channel.SendNotificationAsync(Tagged("notifications/subscriptions/acknowledged", new JsonObject { ["notifications"] = acknowledged }, request.Id), cancellationToken).ConfigureAwait(false);
            await foreach (var notification in stream.Outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var parameters = notification["params"] as JsonObject ?? new JsonObject();
                await request.Channel.SendNotificationAsync(Tagged(JsonRpc.Method(notification)!, parameters.DeepClone().AsObject(), request.Id), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await dispatcher.ReleaseAllAsync(request.Route, request.Caller, stream.Subscriptions, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static JsonObject Tagged(string method, JsonObject parameters, JsonNode? subscriptionId)
    {
        var meta = parameters["_meta"] as JsonObject ?? new JsonObject();
        meta[SubscriptionIdKey] = subscriptionId?.DeepClone();
        parameters["_meta"] = meta;
        return JsonRpc.Notification(method, parameters);
    }

    private static bool Flag(JsonObject filter, string name) => filter[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;
}
