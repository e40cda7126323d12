using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Clients;

/// <summary>
/// The way back to a 2026-07-28 client during one POST: notifications on the SSE stream. Server
/// requests never reach here: <see cref="Proctor.Mcp.Bridging.ModernCallCoordinator"/> turns them into
/// <c>input_required</c> rounds.
/// </summary>
internal sealed class ModernClientChannel(JsonObject capabilities, AnswerStream stream, IReadOnlyList<KeyValuePair<string, string>> paramHeaders) : IClientChannel
{
    public JsonObject ClientCapabilities => capabilities;

    public IReadOnlyList<KeyValuePair<string, string>> ParamHeaders => paramHeaders;

    public ValueTask SendNotificationAsync(JsonObject notification, CancellationToken cancellationToken) =>
        stream.CanStream ? stream.SendAsync(notification, cancellationToken) : ValueTask.CompletedTask;

    public Task<JsonObject> SendRequestAsync(JsonObject request, CancellationToken cancellationToken) =>
        Task.FromResult(JsonRpc.Error(null, JsonRpcErrorCodes.InternalError, "A 2026-07-28 client cannot receive server requests; this is a gateway bug."));
}
