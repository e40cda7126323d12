using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Proctor.Mcp.Protocol;

/// <summary>
/// Fields a 2026-07-28 client requires on results that session-era upstreams (and the gateway's own
/// merged lists) do not carry: <c>resultType</c>, and the caching hints of "Caching" on cacheable
/// results. Missing hints become <c>ttlMs: 0</c> (always re-fetch) and <c>cacheScope: "private"</c>,
/// because what a caller may see will depend on its identity once policy filters lists.
/// </summary>
public static class ModernResults
{
    private static readonly FrozenSet<string> Cacheable = FrozenSet.ToFrozenSet(
        [McpMethods.Discover, McpMethods.ToolsList, McpMethods.PromptsList, McpMethods.ResourcesList, McpMethods.ResourcesTemplatesList, McpMethods.ResourcesRead],
        StringComparer.Ordinal);

    public static void Complete(string method, JsonObject response)
    {
        if (response["result"] is not JsonObject result)
        {
            return;
        }

        if (!result.ContainsKey("resultType"))
        {
            result["resultType"] = "complete";
        }

        if ((string?)result["resultType"] != "complete" || !Cacheable.Contains(method))
        {
            return;
        }

        if (result["ttlMs"] is not JsonValue)
        {
            result["ttlMs"] = 0;
        }

        if (result["cacheScope"] is not JsonValue)
        {
            result["cacheScope"] = "private";
        }
    }
}
