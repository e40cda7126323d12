using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams;

/// <summary>A call's sink that records what reaches it, in order, and answers server requests as told.</summary>
internal sealed class RecordingSink(Func<JsonObject, Task<JsonObject>>? answer = null) : IUpstreamCallSink
{
    public JsonObject ClientCapabilities { get; init; } = new();

    public string CallerKey { get; init; } = "";

    public ConcurrentQueue<string> Trace { get; } = new();

    public ConcurrentQueue<JsonObject> Notifications { get; } = new();

    public ConcurrentQueue<JsonObject> ServerRequests { get; } = new();

    public Func<JsonObject, ValueTask>? BeforeNotification { get; set; }

    public async ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken)
    {
        if (BeforeNotification is { } before)
        {
            await before(notification);
        }

        Notifications.Enqueue(notification.DeepClone().AsObject());
        Trace.Enqueue(JsonRpc.Method(notification)!);
    }

    public Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        ServerRequests.Enqueue(request.DeepClone().AsObject());
        Trace.Enqueue(JsonRpc.Method(request)!);
        return answer is null
            ? Task.FromResult(JsonRpc.Error(null, JsonRpcErrorCodes.MethodNotFound, "not answered in this test"))
            : answer(request);
    }
}
