using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Tools;

/// <summary>A tool and a prompt that come and go from the shared lists at the client's request.</summary>
internal sealed class DynamicPrimitives(SharedPrimitives shared)
{
    public const string ToolName = "test_dynamic_tool";
    public const string PromptName = "test_dynamic_prompt";

    private readonly Lock _toggling = new();

    private readonly McpServerTool _tool = McpServerTool.Create(
        () => "This tool is listed until the next test_trigger_tool_change call.",
        new() { Name = ToolName, Description = "A tool added and removed at runtime by test_trigger_tool_change.", ReadOnly = true });

    private readonly McpServerPrompt _prompt = McpServerPrompt.Create(
        () => "This prompt is listed until the next test_trigger_prompt_change call.",
        new() { Name = PromptName, Description = "A prompt added and removed at runtime by test_trigger_prompt_change." });

    /// <returns><see langword="true"/> when the tool was added, <see langword="false"/> when it was removed.</returns>
    public bool ToggleTool()
    {
        lock (_toggling)
        {
            return Toggle(shared.Tools, _tool);
        }
    }

    /// <returns><see langword="true"/> when the prompt was added, <see langword="false"/> when it was removed.</returns>
    public bool TogglePrompt()
    {
        lock (_toggling)
        {
            return Toggle(shared.Prompts, _prompt);
        }
    }

    private static bool Toggle<T>(McpServerPrimitiveCollection<T> collection, T primitive)
        where T : IMcpServerPrimitive
    {
        if (collection.Remove(primitive))
        {
            return false;
        }

        collection.Add(primitive);
        return true;
    }
}
