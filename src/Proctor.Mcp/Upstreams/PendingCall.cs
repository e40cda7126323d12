using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams;

internal sealed class PendingCall(long id, JsonNode? originalId, JsonNode? originalProgressToken, IUpstreamCallSink sink)
{
    public long Id { get; } = id;

    public JsonNode? OriginalId { get; } = originalId;

    public JsonNode? OriginalProgressToken { get; } = originalProgressToken;

    public IUpstreamCallSink Sink { get; } = sink;

    public TaskCompletionSource<JsonObject> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
