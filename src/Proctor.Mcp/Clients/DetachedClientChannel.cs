using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Clients;

/// <summary>
/// The client channel of calls the gateway makes for a caller who cannot receive their messages: one who is gone
/// (releasing a closed session's subscriptions), or a listen stream's subscriptions, which carry no request-scoped ones.
/// </summary>
internal sealed class DetachedClientChannel : IClientChannel
{
    public static readonly DetachedClientChannel Instance = new();

    public JsonObject ClientCapabilities { get; } = new();

    public ValueTask SendNotificationAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public Task<JsonObject> SendRequestAsync(JsonObject request, CancellationToken cancellationToken) =>
        Task.FromResult(JsonRpc.Error(null, JsonRpcErrorCodes.MethodNotFound, "The caller has disconnected."));
}
