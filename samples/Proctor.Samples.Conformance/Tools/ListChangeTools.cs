using System.ComponentModel;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>
/// Tools that really change the tool and prompt lists, so clients can observe
/// <c>notifications/tools/list_changed</c> and <c>notifications/prompts/list_changed</c>:
/// on their session (initialize era) or on a <c>subscriptions/listen</c> stream (2026-07-28).
/// </summary>
[McpServerToolType]
internal static class ListChangeTools
{
    [McpServerTool(Name = "test_trigger_tool_change")]
    [Description("Adds test_dynamic_tool to the tool list, or removes it if present.")]
    public static string TriggerToolChange(DynamicPrimitives dynamicPrimitives) =>
        dynamicPrimitives.ToggleTool()
            ? $"Added {DynamicPrimitives.ToolName} to the tool list."
            : $"Removed {DynamicPrimitives.ToolName} from the tool list.";

    [McpServerTool(Name = "test_trigger_prompt_change")]
    [Description("Adds test_dynamic_prompt to the prompt list, or removes it if present.")]
    public static string TriggerPromptChange(DynamicPrimitives dynamicPrimitives) =>
        dynamicPrimitives.TogglePrompt()
            ? $"Added {DynamicPrimitives.PromptName} to the prompt list."
            : $"Removed {DynamicPrimitives.PromptName} from the prompt list.";
}
