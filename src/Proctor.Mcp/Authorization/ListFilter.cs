using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Policy;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Authorization;

/// <summary>
/// Invisible denials (decision 0030): removes from a list result every entry the caller could not use
/// (<see cref="PolicyModel.IsVisible"/>: hidden ⇒ refused for any arguments). Runs on each upstream's own
/// answer, before the dispatcher merges and prefixes on <c>/mcp</c>, so both endpoints filter the same names
/// and each upstream's cursor stays its own: a filtered page may be shorter, or empty with a next cursor,
/// which MCP pagination allows. An entry without a usable name is removed: it could not be judged.
/// </summary>
internal static class ListFilter
{
    /// <summary>Filters <paramref name="response"/> in place; returns how many entries were removed.</summary>
    public static int Apply(string method, JsonObject response, PolicyModel policy, PolicyCaller caller, string server, DateTimeOffset at)
    {
        var (itemsKey, nameKey, kind) = method switch
        {
            McpMethods.ToolsList => ("tools", "name", TargetKind.Tool),
            McpMethods.PromptsList => ("prompts", "name", TargetKind.Prompt),
            McpMethods.ResourcesList => ("resources", "uri", TargetKind.Resource),
            _ => ("resourceTemplates", "uriTemplate", TargetKind.Resource),
        };
        if (response["result"] is not JsonObject result || result[itemsKey] is not JsonArray items)
        {
            return 0;
        }

        var removed = 0;
        for (var i = items.Count - 1; i >= 0; i--)
        {
            if (items[i] is not JsonObject entry
                || entry[nameKey] is not JsonValue value
                || !value.TryGetValue<string>(out var name)
                || !policy.IsVisible(caller, new PolicyTarget(server, kind, name), at))
            {
                items.RemoveAt(i);
                removed++;
            }
        }

        // What a caller is shown depends on who it is: a cache shared between callers must not keep it.
        if (result["cacheScope"] is not null)
        {
            result["cacheScope"] = "private";
        }

        return removed;
    }
}
