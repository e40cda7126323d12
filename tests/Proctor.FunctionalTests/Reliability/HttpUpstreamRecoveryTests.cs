using System.Diagnostics;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Reliability;

/// <summary>
/// docs/RELIABILITY.md, "An HTTP upstream restarts or its connection is reset": the gateway opens a new
/// session when the server no longer knows the old one (404, or the 400 common servers answer), reconnects
/// with backoff after a transport failure, and /readyz follows what happens, with real servers of both eras.
/// </summary>
public sealed class HttpUpstreamRecoveryTests
{
    [Fact]
    public async Task EverythingOverHttp_KilledAndStartedAgainOnTheSamePort_ReadyzFollowsAndCallsWorkAgain()
    {
        Peers.RequireInstalled();
        var port = Ports.Free();
        var server = StartEverything(port);
        await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(30));
        try
        {
            await using var gateway = await GatewayUnderTest.StartAsync($$"""
                  remote:
                    url: "http://127.0.0.1:{{port}}/mcp"
                    timeout: "20s"
                """);
            await using var client = await Clients.ConnectAsync(gateway.Mcp("remote"), "2025-11-25");
            Assert.Contains("before", await EchoAsync(client, "before"));

            await server.DisposeAsync();
            var down = await Readyz.WaitForStateAsync(gateway, "remote", "down", TimeSpan.FromSeconds(10));
            var unavailable = await Assert.ThrowsAsync<McpProtocolException>(() => EchoAsync(client, "while down"));

            server = StartEverything(port);
            await Ports.WaitForListeningAsync(port, TimeSpan.FromSeconds(30));
            var answer = await RetryAsync(() => EchoAsync(client, "after"), TimeSpan.FromSeconds(20));
            var (status, ready, _) = await Readyz.GetAsync(gateway);

            Assert.False((bool)down["ready"]!);
            Assert.Contains("unavailable", unavailable.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("after", answer);
            Assert.Equal(200, status);
            Assert.Equal("ready", (string)ready["upstreams"]!["remote"]!["state"]!);
            Assert.True((int)ready["upstreams"]!["remote"]!["restarts"]! >= 1, ready.ToJsonString());
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task StressOverHttp_RestartedWhileIdle_FirstCallAfterwardsIsServedOnANewSession()
    {
        await using var server = await StressServer.StartAsync();
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              stress:
                url: "{{server.Url}}"
                timeout: "20s"
            """);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("stress"), "2025-11-25");
        Assert.Equal("one", await EchoAsync(client, "one"));

        await server.KillAsync();
        await server.StartAgainAsync();
        var answer = await RetryAsync(() => EchoAsync(client, "two"), TimeSpan.FromSeconds(15));

        Assert.Equal("two", answer);
        Assert.Equal("ready", await Readyz.StateAsync(gateway, "stress"));
    }

    [Fact]
    public async Task StressOverHttp_EveryConnectionReset_TheCallInFlightFailsAtOnceAndTheNextCallWorks()
    {
        await using var server = await StressServer.StartAsync();
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              stress:
                url: "{{server.Url}}"
                timeout: "20s"
            """);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("stress"), "2025-11-25");
        Assert.Equal("one", await EchoAsync(client, "one"));

        var started = Stopwatch.StartNew();
        var cut = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("reset", new Dictionary<string, object?>(), new Progress<ProgressNotificationValue>(_ => { })).AsTask());
        var failedAfter = started.Elapsed;
        var answer = await RetryAsync(() => EchoAsync(client, "two"), TimeSpan.FromSeconds(15));

        Assert.True(failedAfter < TimeSpan.FromSeconds(5), $"the cut call failed only after {failedAfter} (its timeout is 20 s)");
        Assert.Equal(-32060, (int)cut.ErrorCode);
        Assert.Contains("cut", cut.Message, StringComparison.Ordinal);
        Assert.Equal("two", answer);
        Assert.Equal("ready", await Readyz.StateAsync(gateway, "stress"));
    }

    [Fact]
    public async Task DualEraFixture_KilledAndStartedAgain_BothErasOfCallerAreServedAgain()
    {
        var port = Ports.Free();
        var fixture = await ConformanceFixture.StartAsync(port);
        try
        {
            await using var gateway = await GatewayUnderTest.StartAsync($$"""
                  both:
                    url: "{{fixture.Endpoint}}"
                    timeout: "20s"
                    pingInterval: "1s"
                """);
            Assert.Equal("both", (string)(await Readyz.GetAsync(gateway)).Body["upstreams"]!["both"]!["era"]!);
            await using var legacy = await Clients.ConnectAsync(gateway.Mcp("both"), "2025-11-25");
            await legacy.ListToolsAsync();

            await fixture.DisposeAsync();
            await Readyz.WaitForStateAsync(gateway, "both", "down", TimeSpan.FromSeconds(40));
            fixture = await ConformanceFixture.StartAsync(port);

            var tools = await RetryAsync(async () => await legacy.ListToolsAsync(), TimeSpan.FromSeconds(30));
            var modern = await RetryAsync(() => ModernListAsync(gateway), TimeSpan.FromSeconds(30));

            Assert.NotEmpty(tools);
            Assert.NotNull(modern["result"]?["tools"]);
            Assert.Equal("ready", await Readyz.StateAsync(gateway, "both"));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static async Task<System.Text.Json.Nodes.JsonObject> ModernListAsync(GatewayUnderTest gateway)
    {
        var (_, body) = await RawMcp.PostAsync(gateway.Mcp("both"),
            """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"}}}}""",
            RawMcp.Modern("tools/list"));
        return body?["result"] is null ? throw new McpException($"not served yet: {body?.ToJsonString()}") : body;
    }

    private static ChildProcess StartEverything(int port) =>
        ChildProcess.Start(Peers.Node, ["--require", Peers.BindLoopback, Peers.EverythingServer, "streamableHttp"], new Dictionary<string, string> { ["PORT"] = port.ToString() });

    private static async Task<string> EchoAsync(McpClient client, string text)
    {
        var result = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = text, ["text"] = text });
        return result.IsError == true ? throw new McpException(Clients.Text(result)) : Clients.Text(result);
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
                await Task.Delay(200);
            }
        }
    }
}
