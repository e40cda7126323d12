using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Clients;

/// <summary>One JSON-RPC request or notification from a client, with what the transport established.</summary>
/// <param name="Subscriptions">Resource URIs the caller subscribed to, with the upstream that serves each (a legacy session's, or one listen stream's); null when the request cannot subscribe.</param>
public sealed record ClientRequest(Route Route, JsonObject Message, Caller Caller, IClientChannel Channel, ConcurrentDictionary<string, string>? Subscriptions)
{
    public JsonNode? Id => Message["id"];

    public bool IsModern => Protocol.ProtocolVersions.IsModern(Caller.ProtocolVersion);
}
