using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Clients;

/// <summary>
/// Relays what an upstream sends during a call to the client that made it, refusing server-to-client
/// requests the client did not declare a capability for (the gateway declared them all upstream).
/// </summary>
internal sealed class ClientCallSink(IClientChannel client, string callerKey) : IUpstreamCallSink
{
    public string CallerKey => callerKey;

    public JsonObject ClientCapabilities => client.ClientCapabilities;

    public IReadOnlyList<KeyValuePair<string, string>> ParamHeaders => client.ParamHeaders;

    public ValueTask OnNotificationAsync(JsonObject notification, CancellationToken cancellationToken) =>
        client.SendNotificationAsync(notification, cancellationToken);

    public Task<JsonObject> OnServerRequestAsync(JsonObject request, CancellationToken cancellationToken)
    {
        var capability = RequiredCapability(JsonRpc.Method(request));
        if (capability is not null && !client.ClientCapabilities.ContainsKey(capability))
        {
            return Task.FromResult(JsonRpc.Error(request["id"], JsonRpcErrorCodes.MethodNotFound,
                $"The client did not declare the '{capability}' capability, so the gateway cannot ask it for {JsonRpc.Method(request)}."));
        }

        return client.SendRequestAsync(request, cancellationToken);
    }

    private static string? RequiredCapability(string? method) => method switch
    {
        "sampling/createMessage" => "sampling",
        "elicitation/create" => "elicitation",
        "roots/list" => "roots",
        _ => null,
    };
}
