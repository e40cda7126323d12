using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;

namespace Proctor.Mcp.Protocol;

/// <summary>
/// 2026-07-28 request validation, in the order the spec's checks depend on: required <c>_meta</c>
/// (-32602), <c>MCP-Protocol-Version</c> against the body (-32020), supported version (-32022), the
/// mirrored <c>Mcp-Method</c>/<c>Mcp-Name</c> (-32020), and methods this revision removed (-32601).
/// The gateway routes and authorizes on the body only; the headers are checked so that intermediaries
/// that trust them cannot be misled.
/// </summary>
public static class ModernHeaders
{
    /// <summary>
    /// Session-era methods that 2026-07-28 removed, and the 2025-11-25 task methods the tasks extension removed (SEP-2663
    /// inlines the result in tasks/get and has no tasks/list): a modern caller gets 404 / -32601.
    /// </summary>
    private static readonly FrozenSet<string> RemovedMethods = FrozenSet.ToFrozenSet(
        [McpMethods.Initialize, McpMethods.Ping, McpMethods.LoggingSetLevel, McpMethods.ResourcesSubscribe, McpMethods.ResourcesUnsubscribe,
            McpMethods.TasksResult, McpMethods.TasksList],
        StringComparer.Ordinal);

    public static JsonObject? Validate(ClientHeaders headers, JsonObject message)
    {
        var id = message["id"];
        var method = JsonRpc.Method(message)!;
        if (JsonRpc.Params(message)?["_meta"] is not JsonObject meta)
        {
            return JsonRpc.Error(id, JsonRpcErrorCodes.InvalidParams,
                "Invalid params: 2026-07-28 requests carry params._meta with io.modelcontextprotocol/protocolVersion and io.modelcontextprotocol/clientCapabilities.");
        }

        if (meta[ProtocolVersions.MetaProtocolVersion]?.ToString() is not { } bodyVersion)
        {
            return JsonRpc.Error(id, JsonRpcErrorCodes.InvalidParams, "Invalid params: params._meta lacks io.modelcontextprotocol/protocolVersion.");
        }

        if (meta[ProtocolVersions.MetaClientCapabilities] is not JsonObject)
        {
            return JsonRpc.Error(id, JsonRpcErrorCodes.InvalidParams, "Invalid params: params._meta lacks io.modelcontextprotocol/clientCapabilities (send {} when the client has none).");
        }

        var headerVersion = headers.ProtocolVersion;
        if (headerVersion != bodyVersion)
        {
            return Mismatch(id, McpHeaders.ProtocolVersion, headerVersion, bodyVersion);
        }

        if (bodyVersion != ProtocolVersions.Modern)
        {
            return JsonRpc.Error(id, JsonRpcErrorCodes.UnsupportedProtocolVersion,
                $"Unsupported protocol version '{bodyVersion}'. Supported: {string.Join(", ", ProtocolVersions.All)}; session-era versions start with initialize.",
                new JsonObject { ["supported"] = ProtocolVersions.AllAsJson(), ["requested"] = bodyVersion });
        }

        var headerMethod = headers.Method;
        if (headerMethod != method)
        {
            return Mismatch(id, McpHeaders.Method, headerMethod, method);
        }

        if (method is McpMethods.ToolsCall or McpMethods.PromptsGet or McpMethods.ResourcesRead
            or McpMethods.TasksGet or McpMethods.TasksUpdate or McpMethods.TasksCancel)
        {
            var bodyName = NamedBy(method, message)?.ToString();
            var headerName = HeaderValues.Decode(headers.Name);
            if (headerName != bodyName)
            {
                return Mismatch(id, McpHeaders.Name, headerName ?? "(undecodable)", bodyName ?? "");
            }
        }

        if (RemovedMethods.Contains(method))
        {
            return JsonRpc.Error(id, JsonRpcErrorCodes.MethodNotFound, $"Method not found: {method} does not exist in protocol 2026-07-28.");
        }

        return null;
    }

    /// <summary>2026-07-28 carries some JSON-RPC errors with a transport status too: not found for unknown methods, bad request for bad requests.</summary>
    public static ReplyStatus StatusFor(JsonObject response) => (response["error"]?["code"] as JsonValue)?.TryGetValue<int>(out var code) == true
        ? code switch
        {
            JsonRpcErrorCodes.MethodNotFound => ReplyStatus.NotFound,
            JsonRpcErrorCodes.InvalidParams or JsonRpcErrorCodes.InvalidRequest or JsonRpcErrorCodes.HeaderMismatch
                or JsonRpcErrorCodes.MissingClientCapability or JsonRpcErrorCodes.UnsupportedProtocolVersion => ReplyStatus.BadRequest,
            _ => ReplyStatus.Ok,
        }
        : ReplyStatus.Ok;

    /// <summary>The body member <c>Mcp-Name</c> mirrors: a tool or prompt name, a resource URI, a task id (SEP-2663).</summary>
    private static JsonNode? NamedBy(string method, JsonObject message) => method switch
    {
        McpMethods.ResourcesRead => message["params"]?["uri"],
        McpMethods.TasksGet or McpMethods.TasksUpdate or McpMethods.TasksCancel => message["params"]?["taskId"],
        _ => message["params"]?["name"],
    };

    private static JsonObject Mismatch(JsonNode? id, string header, string found, string expected) =>
        JsonRpc.Error(id, JsonRpcErrorCodes.HeaderMismatch,
            found.Length == 0
                ? $"Header mismatch: the {header} header is missing; 2026-07-28 requests must send it with the value '{expected}' from the body."
                : $"Header mismatch: {header} is '{found}' but the body says '{expected}'.",
            new JsonObject { ["header"] = header });
}
