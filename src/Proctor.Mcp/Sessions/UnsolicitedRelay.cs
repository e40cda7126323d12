using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Delivers upstream messages that belong to no call to the legacy sessions that should see them:
/// list changes to every session whose route includes the upstream, <c>resources/updated</c> only to
/// sessions subscribed to that URI, log messages to sessions on the upstream's routes.
/// </summary>
public sealed class UnsolicitedRelay(ClientSessionStore sessions)
{
    public void Attach(UpstreamRegistry upstreams)
    {
        foreach (var upstream in upstreams.Ordered)
        {
            upstream.UnsolicitedNotification += Deliver;
        }
    }

    private void Deliver(Upstream upstream, JsonObject notification)
    {
        var method = JsonRpc.Method(notification);
        var uri = method == McpMethods.ResourceUpdated ? notification["params"]?["uri"]?.GetValue<string>() : null;
        foreach (var session in sessions.All)
        {
            if (!session.Initialized || (!session.Route.IsAggregate && session.Route.Server != upstream.Name))
            {
                continue;
            }

            if (uri is not null && !session.Subscriptions.ContainsKey(uri))
            {
                continue;
            }

            session.Outbound.Writer.TryWrite(notification.DeepClone().AsObject());
        }
    }
}
