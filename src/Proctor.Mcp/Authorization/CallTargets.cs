using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Policy.Decisions;

namespace Proctor.Mcp.Authorization;

/// <summary>What the policy is asked about a call.</summary>
internal enum CallQuestion
{
    /// <summary>A tool, prompt, resource or the whole server: decided by the rules.</summary>
    Target,

    /// <summary>A list: never refused, filtered per caller (what the caller may not use is not shown).</summary>
    List,

    /// <summary>
    /// Names nothing a rule can target and reaches nothing: <c>logging/setLevel</c>, <c>resources/unsubscribe</c>; or acts on
    /// a task, which only its creator reaches (TaskOwnershipStage).
    /// </summary>
    NotApplicable,
}

/// <summary>
/// Reads what a call addresses from the request exactly as the upstream will receive it (names already
/// un-prefixed on <c>/mcp</c>), so that the name the policy judges is the name that is forwarded.
/// Methods the gateway does not know address the whole server: a rule must cover the server for them.
/// </summary>
internal static class CallTargets
{
    public static CallQuestion Classify(string method, JsonObject request, string server, out PolicyTarget target)
    {
        target = default;
        var parameters = request["params"] as JsonObject;
        switch (method)
        {
            case McpMethods.ToolsList or McpMethods.PromptsList or McpMethods.ResourcesList or McpMethods.ResourcesTemplatesList:
                return CallQuestion.List;
            case McpMethods.LoggingSetLevel or McpMethods.ResourcesUnsubscribe or McpMethods.Ping:
                return CallQuestion.NotApplicable;
            case McpMethods.TasksGet or McpMethods.TasksUpdate or McpMethods.TasksCancel or McpMethods.TasksResult or McpMethods.TasksList:
                // The policy decided on the tools/call that created the task; who may then reach it is
                // TaskOwnershipStage's question: its creator, and nobody else (decision 0043).
                return CallQuestion.NotApplicable;
            case McpMethods.ToolsCall:
                target = PolicyTarget.Tool(server, Text(parameters?["name"]));
                return CallQuestion.Target;
            case McpMethods.PromptsGet:
                target = PolicyTarget.Prompt(server, Text(parameters?["name"]));
                return CallQuestion.Target;
            case McpMethods.ResourcesRead or McpMethods.ResourcesSubscribe:
                target = PolicyTarget.Resource(server, Text(parameters?["uri"]));
                return CallQuestion.Target;
            case McpMethods.CompletionComplete when (parameters?["ref"] is JsonObject reference):
                target = Text(reference["type"]) switch
                {
                    "ref/prompt" => PolicyTarget.Prompt(server, Text(reference["name"])),
                    "ref/resource" => PolicyTarget.Resource(server, Text(reference["uri"])),
                    _ => PolicyTarget.WholeServer(server),
                };
                return CallQuestion.Target;
            default:
                target = PolicyTarget.WholeServer(server);
                return CallQuestion.Target;
        }
    }

    /// <summary>A name that is absent or not a string is judged as the empty name, which no rule allows by name.</summary>
    private static string Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : "";
}
