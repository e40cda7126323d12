using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Clients;

/// <summary>The client end of a request: records what the gateway sends it and answers server requests by method.</summary>
internal sealed class RecordingClientChannel(string capabilities = "{}", Func<JsonObject, JsonObject>? answer = null) : IClientChannel
{
    public JsonObject ClientCapabilities { get; } = Json.Object(capabilities);

    public ConcurrentQueue<JsonObject> Notifications { get; } = new();

    public ConcurrentQueue<JsonObject> Requests { get; } = new();

    public ValueTask SendNotificationAsync(JsonObject notification, CancellationToken cancellationToken)
    {
        Notifications.Enqueue(notification.DeepClone().AsObject());
        return ValueTask.CompletedTask;
    }

    public Task<JsonObject> SendRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request.DeepClone().AsObject());
        return Task.FromResult(answer?.Invoke(request) ?? JsonRpc.Error(request["id"], JsonRpcErrorCodes.MethodNotFound, "this client answers nothing"));
    }
}
