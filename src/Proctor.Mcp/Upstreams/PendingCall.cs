using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// One call in flight on a shared upstream connection. Everything the upstream sends for it
/// (notifications, then the response) goes through <see cref="Inbox"/> in arrival order, so progress
/// is never overtaken by the response and the connection's reader never waits on a slow client.
/// </summary>
internal sealed class PendingCall(long id, JsonNode? originalId, JsonNode? originalProgressToken, IUpstreamCallSink sink)
{
    public long Id { get; } = id;

    public JsonNode? OriginalId { get; } = originalId;

    public JsonNode? OriginalProgressToken { get; } = originalProgressToken;

    public IUpstreamCallSink Sink { get; } = sink;

    public Channel<JsonObject> Inbox { get; } = Channel.CreateUnbounded<JsonObject>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    public void Fail(Exception exception) => Inbox.Writer.TryComplete(exception);
}
