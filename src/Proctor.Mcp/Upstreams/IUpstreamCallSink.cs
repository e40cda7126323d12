using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// Where an upstream delivers what belongs to one in-flight call besides its final response:
/// progress and log notifications, and server-to-client requests (sampling, elicitation, roots).
/// Implemented by the client-facing side, which knows the caller's era and connection.
/// </summary>
public interface IUpstreamCallSink
{
    /// <summary>The calling client's declared capabilities; a 2026-07-28 upstream needs them on every request.</summary>
    JsonObject ClientCapabilities { get; }

    /// <summary>
    /// The identity the call is made for (issuer and subject), or empty for the gateway's own calls.
    /// A server request that cannot be tied to one call MUST NOT be shown to another identity.
    /// </summary>
    string CallerKey => "";

    /// <summary>The caller's <c>Mcp-Param-*</c> headers, for 2026-07-28 upstreams (see IClientChannel.ParamHeaders).</summary>
    IReadOnlyList<KeyValuePair<string, string>> ParamHeaders => [];

    ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken);

    /// <summary>Returns the client's answer as a JSON-RPC response object (result or error); its id is ignored.</summary>
    Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken);
}

/// <summary>A sink for calls the gateway makes on its own behalf (handshakes, probes).</summary>
public sealed class DetachedCallSink : IUpstreamCallSink
{
    public static readonly DetachedCallSink Instance = new();

    public JsonObject ClientCapabilities { get; } = new();

    public ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken) =>
        Task.FromResult(Protocol.JsonRpc.Error(null, Protocol.JsonRpcErrorCodes.MethodNotFound,
            "The gateway has no client connected to this call to answer the request."));
}
