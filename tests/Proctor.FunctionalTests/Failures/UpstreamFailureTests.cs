using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Failures;

/// <summary>A dead upstream gives callers a JSON-RPC error, not a hang; it is restarted; /mcp keeps serving the others; /readyz says why.</summary>
public sealed class UpstreamFailureTests
{
    [Fact]
    public async Task CallInFlight_UpstreamKilled_CallerGetsErrorAndUpstreamComesBack()
    {
        Peers.RequireInstalled();
        var marker = $"crash-test-{Guid.NewGuid():N}";
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              victim:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio", "{{marker}}"]
                timeout: "20s"
                restart: { initialBackoff: "200ms", maxBackoff: "1s" }
            """);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("victim"), "2025-11-25");

        var call = client.CallToolAsync("trigger-long-running-operation", new Dictionary<string, object?> { ["duration"] = 15, ["steps"] = 15 }).AsTask();
        await Task.Delay(1000);
        var started = Stopwatch.StartNew();
        Kill(marker);

        var error = await Assert.ThrowsAsync<McpProtocolException>(() => call);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"the error took {started.Elapsed}");
        Assert.Contains("unavailable", error.Message, StringComparison.OrdinalIgnoreCase);

        var echo = await RetryAsync(() => client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "back" }).AsTask(), TimeSpan.FromSeconds(20));
        Assert.Contains("back", Clients.Text(echo));
    }

    [Fact]
    public async Task Aggregate_OneUpstreamCannotStart_OthersStillListedAndReadyzSaysWhy()
    {
        Peers.RequireInstalled();
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              healthy:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio"]
              broken:
                command: "/nonexistent/mcp-server-binary"
                restart: { initialBackoff: "5s", maxBackoff: "5s" }
            """);
        await using var client = await Clients.ConnectAsync(gateway.Mcp(), "2025-11-25");

        var tools = await client.ListToolsAsync();
        using var http = new HttpClient();
        var ready = await http.GetFromJsonAsync<JsonObject>(new Uri(gateway.BaseAddress, "/readyz"));

        Assert.NotEmpty(tools);
        Assert.All(tools, t => Assert.StartsWith("healthy__", t.Name, StringComparison.Ordinal));
        Assert.Equal("down", (string)ready!["upstreams"]!["broken"]!["state"]!);
        Assert.Equal("open_failed", (string)ready["upstreams"]!["broken"]!["reasonCode"]!); // the text is for auditors and the log (decision 0016)
        Assert.Equal("ready", (string)ready["upstreams"]!["healthy"]!["state"]!);
    }

    [Fact]
    public async Task GatewayStops_StdioUpstreamRunning_UpstreamProcessEnds()
    {
        Peers.RequireInstalled();
        var marker = $"shutdown-test-{Guid.NewGuid():N}";
        var gateway = await GatewayUnderTest.StartAsync($$"""
              stopping:
                command: "node"
                args: ["{{Peers.EverythingServer}}", "stdio", "{{marker}}"]
                shutdownGrace: "2s"
            """);
        Assert.True(IsRunning(marker));

        await gateway.DisposeAsync();

        Assert.False(IsRunning(marker), "the upstream outlived the gateway");
    }

    private static bool IsRunning(string marker)
    {
        using var pgrep = Process.Start("pgrep", ["-f", marker]);
        pgrep.WaitForExit();
        return pgrep.ExitCode == 0;
    }

    private static void Kill(string marker)
    {
        using var pkill = Process.Start("pkill", ["-KILL", "-f", marker]);
        pkill.WaitForExit();
        Assert.Equal(0, pkill.ExitCode);
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> action, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await action();
            }
            catch (McpException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
        }
    }
}
