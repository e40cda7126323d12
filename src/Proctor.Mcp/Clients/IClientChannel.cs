using System.Text.Json.Nodes;

namespace Proctor.Mcp.Clients;

/// <summary>
/// The way back to the client for one of its requests: notifications related to the request, and
/// server-to-client requests (legacy: over the request's SSE stream; modern: through the MRTR bridge).
/// </summary>
public interface IClientChannel
{
    /// <summary>The client's declared capabilities (initialize or request <c>_meta</c>).</summary>
    JsonObject ClientCapabilities { get; }

    ValueTask SendNotificationAsync(JsonObject notification, CancellationToken cancellationToken);

    /// <summary>Sends a request to the client and returns its JSON-RPC response (result or error).</summary>
    Task<JsonObject> SendRequestAsync(JsonObject request, CancellationToken cancellationToken);
}
