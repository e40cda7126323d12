using System.Text.Json.Nodes;
using Proctor.Approvals.Grants;
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
    /// <param name="grants">Active just-in-time grants: a tool a grant rule covers is listed only to a holder of one (decision 0041).</param>
    /// <param name="callerKey">The caller's issuer and subject, as grants are held.</param>
    public static int Apply(string method, JsonObject response, PolicyModel policy, PolicyCaller caller, string server, DateTimeOffset at, ActiveGrants? grants = null, string? callerKey = null)
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
                || !policy.IsVisible(caller, new PolicyTarget(server, kind, name), at, HoldsGrant(grants, callerKey, server, kind, name, at)))
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

    private static bool HoldsGrant(ActiveGrants? grants, string? callerKey, string server, TargetKind kind, string name, DateTimeOffset at) =>
        grants is not null && callerKey is not null && kind == TargetKind.Tool && grants.Covering(callerKey, server, name, at) is not null;
}
