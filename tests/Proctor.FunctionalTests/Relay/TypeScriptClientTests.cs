using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Relay;

/// <summary>
/// The TypeScript SDK's own clients through the gateway: 1.x (session era) and 2.x pinned to
/// 2026-07-28, whose elicitation reaches a session-era upstream through the held-call bridge.
/// </summary>
[Collection(nameof(EverythingCollection))]
public sealed class TypeScriptClientTests(EverythingUpstreams upstreams)
{
    [Theory]
    [InlineData("v1", "everything", "2025-11-25")]
    [InlineData("v1", "remote", "2025-11-25")]
    [InlineData("v2", "everything", "2026-07-28")]
    [InlineData("v2", "remote", "2026-07-28")]
    public async Task TypeScriptClient_ToolsProgressElicitation_AllWorkThroughTheGateway(string flavour, string route, string expectedVersion)
    {
        var script = Path.Combine(Peers.RepositoryRoot, "tests", "node", "ts-client.mjs");
        await using var node = ChildProcess.Start(Peers.Node22, [script, flavour, upstreams.Gateway.Mcp(route).ToString()], workingDirectory: Path.GetDirectoryName(script));

        var exit = await node.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, node.Output);
        var seen = JsonNode.Parse(node.Output.Split('\n').Last(l => l.StartsWith('{')))!;
        Assert.Equal(expectedVersion, (string?)seen["protocolVersion"]);
        Assert.Contains("trigger-long-running-operation", seen["tools"]!.AsArray().Select(t => (string?)t));
        Assert.Equal($"Echo: hello from {flavour}", (string?)seen["echo"]);
        Assert.Equal([1, 2, 3], seen["progress"]!.AsArray().Select(p => (int)p!));
        Assert.Contains("Grace Hopper", (string?)seen["elicited"], StringComparison.Ordinal);
    }
}
