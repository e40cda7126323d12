using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams;

/// <summary>What the upstream said about itself (initialize or server/discover result).</summary>
public sealed record UpstreamDescription(string ProtocolVersion, JsonObject Capabilities, JsonObject? ServerInfo, string? Instructions)
{
    public bool Has(string capability) => Capabilities.ContainsKey(capability);

    public static UpstreamDescription FromResult(JsonObject result, string fallbackVersion)
    {
        var version = result["protocolVersion"]?.GetValue<string>() ?? fallbackVersion;
        if (result["supportedVersions"] is JsonArray supported && supported.Count > 0 && result["protocolVersion"] is null)
        {
            version = supported.Select(v => v?.GetValue<string>()).FirstOrDefault(v => v == Protocol.ProtocolVersions.Modern) ?? fallbackVersion;
        }

        return new UpstreamDescription(
            version,
            result["capabilities"] as JsonObject ?? new JsonObject(),
            (result["serverInfo"] ?? result["_meta"]?["io.modelcontextprotocol/serverInfo"]) as JsonObject,
            result["instructions"]?.GetValue<string>());
    }
}
