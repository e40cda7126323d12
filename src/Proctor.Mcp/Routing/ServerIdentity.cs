using System.Text;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Routing;

/// <summary>
/// What the gateway says about itself on a route: on <c>/mcp/{server}</c> the upstream's own
/// capabilities, identity and instructions; on <c>/mcp</c> the union of the ready upstreams'.
/// </summary>
public static class ServerIdentity
{
    private static readonly string GatewayVersion = typeof(ServerIdentity).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";

    public static JsonObject InitializeResult(UpstreamRegistry upstreams, Route route, string protocolVersion)
    {
        var (capabilities, serverInfo, instructions) = Describe(upstreams, route, modernCaller: false);
        var result = new JsonObject
        {
            ["protocolVersion"] = protocolVersion,
            ["capabilities"] = capabilities,
            ["serverInfo"] = serverInfo,
        };
        if (instructions is not null)
        {
            result["instructions"] = instructions;
        }

        return result;
    }

    public static JsonObject DiscoverResult(UpstreamRegistry upstreams, Route route)
    {
        var (capabilities, serverInfo, instructions) = Describe(upstreams, route, modernCaller: true);
        var result = new JsonObject
        {
            ["resultType"] = "complete",
            ["supportedVersions"] = ProtocolVersions.AllAsJson(),
            ["capabilities"] = capabilities,
            ["_meta"] = new JsonObject { ["io.modelcontextprotocol/serverInfo"] = serverInfo },
        };
        if (instructions is not null)
        {
            result["instructions"] = instructions;
        }

        return result;
    }

    private static (JsonObject Capabilities, JsonObject ServerInfo, string? Instructions) Describe(UpstreamRegistry upstreams, Route route, bool modernCaller)
    {
        if (!route.IsAggregate)
        {
            var description = upstreams.ByName[route.Server!].DescriptionFor(modernCaller);
            var info = description?.ServerInfo?.DeepClone().AsObject() ?? new JsonObject { ["name"] = route.Server, ["version"] = "unknown" };
            return (Strip(description?.Capabilities), info, description?.Instructions);
        }

        var union = new JsonObject();
        var instructions = new StringBuilder();
        foreach (var upstream in upstreams.Ready(Route.Aggregate))
        {
            if (upstream.DescriptionFor(modernCaller) is not { } d)
            {
                continue;
            }

            foreach (var (name, value) in Strip(d.Capabilities))
            {
                union[name] = Merge(union[name] as JsonObject, value as JsonObject);
            }

            if (!string.IsNullOrWhiteSpace(d.Instructions))
            {
                instructions.Append(upstream.Name).Append(": ").AppendLine(d.Instructions.Trim());
            }
        }

        // Aggregated lists change whenever an upstream comes or goes, so the gateway always announces changes.
        foreach (var listed in new[] { "tools", "prompts", "resources" })
        {
            if (union[listed] is JsonObject capability)
            {
                capability["listChanged"] = true;
            }
        }

        var serverInfo = new JsonObject { ["name"] = "proctor", ["title"] = "Proctor MCP gateway", ["version"] = GatewayVersion };
        return (union, serverInfo, instructions.Length == 0 ? null : instructions.ToString().TrimEnd());
    }

    /// <summary>Capabilities the gateway relays; anything it does not know is passed on untouched.</summary>
    private static JsonObject Strip(JsonObject? capabilities) => capabilities?.DeepClone().AsObject() ?? new JsonObject();

    private static JsonObject Merge(JsonObject? left, JsonObject? right)
    {
        var merged = left?.DeepClone().AsObject() ?? new JsonObject();
        foreach (var (key, value) in right ?? [])
        {
            if (value is JsonValue v && v.TryGetValue<bool>(out var flag))
            {
                merged[key] = flag || (merged[key] is JsonValue m && m.TryGetValue<bool>(out var existing) && existing);
            }
            else if (!merged.ContainsKey(key))
            {
                merged[key] = value?.DeepClone();
            }
        }

        return merged;
    }
}
