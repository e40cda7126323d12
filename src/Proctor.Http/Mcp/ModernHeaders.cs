using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Mcp.Protocol;

namespace Proctor.Http.Mcp;

/// <summary>
/// 2026-07-28 "Server Validation": the mirrored headers must agree with the body. The gateway routes
/// and authorizes on the body only; the headers are checked so that intermediaries that trust them
/// cannot be misled.
/// </summary>
internal static class ModernHeaders
{
    public static JsonObject? Validate(HttpRequest request, JsonObject message, string bodyVersion)
    {
        var id = message["id"];
        if (!ProtocolVersions.IsModern(bodyVersion) || bodyVersion != ProtocolVersions.Modern)
        {
            var supported = new JsonArray();
            foreach (var version in ProtocolVersions.All)
            {
                supported.Add(version);
            }

            return JsonRpc.Error(id, JsonRpcErrorCodes.UnsupportedProtocolVersion,
                $"Unsupported protocol version '{bodyVersion}'. Supported: {string.Join(", ", ProtocolVersions.All)}; session-era versions start with initialize.",
                new JsonObject { ["supported"] = supported, ["requested"] = bodyVersion });
        }

        var headerVersion = request.Headers["MCP-Protocol-Version"].ToString();
        if (headerVersion != bodyVersion)
        {
            return Mismatch(id, "MCP-Protocol-Version", headerVersion, bodyVersion);
        }

        var method = JsonRpc.Method(message)!;
        var headerMethod = request.Headers["Mcp-Method"].ToString();
        if (headerMethod != method)
        {
            return Mismatch(id, "Mcp-Method", headerMethod, method);
        }

        if (method is McpMethods.ToolsCall or McpMethods.PromptsGet or McpMethods.ResourcesRead)
        {
            var bodyName = (method == McpMethods.ResourcesRead ? message["params"]?["uri"] : message["params"]?["name"])?.ToString();
            var headerName = HeaderValues.Decode(request.Headers["Mcp-Name"].ToString());
            if (headerName != bodyName)
            {
                return Mismatch(id, "Mcp-Name", headerName ?? "(undecodable)", bodyName ?? "");
            }
        }

        return null;
    }

    private static JsonObject Mismatch(JsonNode? id, string header, string found, string expected) =>
        JsonRpc.Error(id, JsonRpcErrorCodes.HeaderMismatch,
            found.Length == 0
                ? $"Header mismatch: the {header} header is missing; 2026-07-28 requests must send it with the value '{expected}' from the body."
                : $"Header mismatch: {header} is '{found}' but the body says '{expected}'.",
            new JsonObject { ["header"] = header });
}
