using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tasks;

/// <summary>
/// What the gateway reads of the tasks extension (SEP-2663, <c>io.modelcontextprotocol/tasks</c>; and the 2025-11-25
/// tasks it replaced): which requests name a task, the task id they name, and the task a tools/call answer created.
/// Everything else about a task (status, result, input requests) is the upstream's and is relayed as it is.
/// </summary>
public static class TaskMessages
{
    public const string ExtensionId = "io.modelcontextprotocol/tasks";

    /// <summary>Requests that act on one task, named by <c>params.taskId</c>: only that task's creator may send them.</summary>
    public static readonly FrozenSet<string> TaskRequests = FrozenSet.ToFrozenSet(
        [McpMethods.TasksGet, McpMethods.TasksUpdate, McpMethods.TasksCancel, McpMethods.TasksResult], StringComparer.Ordinal);

    public static bool NamesATask(string method) => TaskRequests.Contains(method);

    /// <summary>The task a request names; null when <c>params.taskId</c> is absent or not a string.</summary>
    public static string? TaskIdOf(JsonObject request) =>
        request["params"]?["taskId"] is JsonValue value && value.TryGetValue<string>(out var id) ? id : null;

    /// <summary>
    /// The task a tools/call answer created, with the time to live it announced: SEP-2663's flat
    /// <c>{resultType: "task", taskId, ttlMs}</c>, or 2025-11-25's <c>{task: {taskId, ttl}}</c>. Null for any other answer.
    /// </summary>
    public static (string TaskId, long? TtlMs)? CreatedTask(JsonObject response)
    {
        if (response["result"] is not JsonObject result)
        {
            return null;
        }

        if (Text(result["resultType"]) == "task" && Text(result["taskId"]) is { } flat)
        {
            return (flat, Number(result["ttlMs"]));
        }

        return result["task"] is JsonObject nested && Text(nested["taskId"]) is { } legacy ? (legacy, Number(nested["ttl"])) : null;
    }

    /// <summary>Whether a 2026-07-28 request declares the extension in <c>_meta</c>'s client capabilities (SEP-2575: per request).</summary>
    public static bool Declared(JsonObject request) =>
        request["params"]?["_meta"]?[ProtocolVersions.MetaClientCapabilities]?["extensions"] is JsonObject extensions
        && extensions.ContainsKey(ExtensionId);

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
