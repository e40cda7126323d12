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

    /// <summary>
    /// The client's <c>Mcp-Param-*</c> headers (2026-07-28), relayed unchanged to 2026-07-28 upstreams so
    /// that the server that knows the tool's <c>x-mcp-header</c> schema validates them (an intermediary
    /// MUST forward them). Never used by the gateway to route or authorize.
    /// </summary>
    IReadOnlyList<KeyValuePair<string, string>> ParamHeaders => [];

    ValueTask SendNotificationAsync(JsonObject notification, CancellationToken cancellationToken);

    /// <summary>Sends a request to the client and returns its JSON-RPC response (result or error).</summary>
    Task<JsonObject> SendRequestAsync(JsonObject request, CancellationToken cancellationToken);
}
