using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Proctor.Samples.Conformance.Tasks;

/// <summary>
/// The names and the negotiation rule of the tasks extension (SEP-2663,
/// <c>io.modelcontextprotocol/tasks</c>). A client opts in by listing the extension among its
/// capabilities: once for a session (initialize era) or in the <c>_meta</c> of each request
/// (2026-07-28, SEP-2575). Without that, no task is created and the tasks/* methods are refused.
/// </summary>
internal static class TasksExtension
{
    public const string Id = "io.modelcontextprotocol/tasks";
    public const string Get = "tasks/get";
    public const string Update = "tasks/update";
    public const string Cancel = "tasks/cancel";

    private const string ClientCapabilitiesMetaKey = "io.modelcontextprotocol/clientCapabilities";

    public static bool IsNegotiated(JsonRpcRequest request) =>
        request.Context?.ClientCapabilities?.Extensions?.ContainsKey(Id) is true
        || request.Params?["_meta"]?[ClientCapabilitiesMetaKey]?["extensions"] is JsonObject extensions && extensions.ContainsKey(Id);

    public static void RequireNegotiated(JsonRpcRequest request)
    {
        if (!IsNegotiated(request))
        {
            throw Missing($"'{request.Method}' belongs to the tasks extension, which the client did not declare");
        }
    }

    /// <summary>MissingRequiredClientCapability (-32021) naming the extension, as SEP-2663 asks.</summary>
    public static MissingRequiredClientCapabilityException Missing(string what) => new(
        new ClientCapabilities { Extensions = new Dictionary<string, object> { [Id] = new JsonObject() } },
        $"{what}; declare '{Id}' under capabilities.extensions (in _meta clientCapabilities on 2026-07-28 requests).");
}
