using System.Diagnostics;
using ModelContextProtocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Reliability;

/// <summary>
/// docs/RELIABILITY.md, "A stdio upstream stops reading": with the process stopped (SIGSTOP) and its stdin
/// pipe full, every call is still answered within its timeout, /readyz says the upstream is stalled and for
/// how long, and once the process continues the upstream serves again without a restart.
/// </summary>
public sealed class FrozenStdioUpstreamTests
{
    [Fact]
    public async Task StoppedProcess_CallsThatFillItsStdin_AreAnsweredWithinTheirTimeoutAndReadyzSaysStalled()
    {
        Peers.RequireInstalled();
        var marker = $"frozen-{Guid.NewGuid():N}";
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              frozen:
                command: "node"
                args: ["{{StressServer.Script}}", "stdio", "{{marker}}"]
                timeout: "1s"
                pingInterval: "500ms"
                maxQueuedMessages: 4
            """);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("frozen"), "2025-11-25");
        Assert.Equal("warm", Clients.Text(await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "warm" })));
        var pid = Signals.PidOf(marker);
        Signals.Stop(pid);
        try
        {
            // 256 KiB each: the first fills the 64 KiB pipe, the rest wait in the gateway's queue, then it refuses.
            var large = new string('s', 256 * 1024);
            var started = Stopwatch.StartNew();
            var calls = Enumerable.Range(0, 8).Select(_ => Assert.ThrowsAsync<McpProtocolException>(
                () => client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = large }).AsTask())).ToList();
            var errors = await Task.WhenAll(calls);
            var answeredWithin = started.Elapsed;
            var stalled = await Readyz.WaitForStateAsync(gateway, "frozen", "stalled", TimeSpan.FromSeconds(5));

            Assert.True(answeredWithin < TimeSpan.FromSeconds(4), $"8 calls with a 1 s timeout took {answeredWithin} to be answered");
            Assert.All(errors, e => Assert.True((int)e.ErrorCode is -32060 or -32061, $"{e.ErrorCode}: {e.Message}"));
            Assert.True((long)stalled["upstreams"]!["frozen"]!["stalledForSeconds"]! >= 0);
            Assert.Equal("stalled", (string)stalled["upstreams"]!["frozen"]!["reasonCode"]!);
            Assert.False((bool)stalled["ready"]!);
        }
        finally
        {
            Signals.Continue(pid);
        }

        await Readyz.WaitForStateAsync(gateway, "frozen", "ready", TimeSpan.FromSeconds(10));
        var again = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "thawed" });
        var (_, body, _) = await Readyz.GetAsync(gateway);

        Assert.Equal("thawed", Clients.Text(again));
        Assert.Equal(0, (int)body["upstreams"]!["frozen"]!["restarts"]!);
    }
}
