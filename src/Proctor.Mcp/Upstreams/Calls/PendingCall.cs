using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams.Calls;

/// <summary>
/// One call in flight on a shared upstream connection. Everything the upstream sends for it
/// (notifications, then the response) goes through <see cref="Inbox"/> in arrival order, so progress
/// is never overtaken by the response and the connection's reader waits on a slow client only while
/// that client's bounded inbox is full.
/// </summary>
internal sealed class PendingCall(long id, JsonNode? originalId, JsonNode? originalProgressToken, IUpstreamCallSink sink, int inboxCapacity)
{
    public long Id { get; } = id;

    public JsonNode? OriginalId { get; } = originalId;

    public JsonNode? OriginalProgressToken { get; } = originalProgressToken;

    public IUpstreamCallSink Sink { get; } = sink;

    public CallInbox Inbox { get; } = new(inboxCapacity);

    /// <summary>True for the gateway's own calls (handshake, liveness pings), which no client waits on.</summary>
    public bool IsGateways => Sink is DetachedCallSink;

    public void Fail(Exception exception) => Inbox.Fail(exception);
}
