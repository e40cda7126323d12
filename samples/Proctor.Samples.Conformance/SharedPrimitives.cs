using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance;

/// <summary>
/// The one set of tool, prompt and resource lists every MCP server instance uses. The SDK builds
/// a fresh <see cref="McpServerOptions"/> for each stateless (2026-07-28) request; sharing these
/// collections makes a runtime change visible to every session and request, and lets the
/// initialize-era sessions and the listen streams observe it through the collections' events.
/// </summary>
internal sealed class SharedPrimitives
{
    public McpServerPrimitiveCollection<McpServerTool> Tools { get; } = new();

    public McpServerPrimitiveCollection<McpServerPrompt> Prompts { get; } = new();

    public McpServerResourceCollection Resources { get; } = new();
}
