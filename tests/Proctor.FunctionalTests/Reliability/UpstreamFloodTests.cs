using ModelContextProtocol;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Reliability;

/// <summary>
/// docs/RELIABILITY.md, "An upstream floods a call with progress" and "An upstream sends a message too large
/// to hold": the gateway's live heap stays bounded whatever one upstream sends, the caller gets the latest
/// progress and its answer (or a clear error), and the upstream stays connected. Measured in this process,
/// which hosts the gateway; the tests run alone (<see cref="MemoryCollection"/>).
/// </summary>
[Collection(MemoryCollection.Name)]
public sealed class UpstreamFloodTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>Without bounds the queued flood alone is about 30,000 × 4.5 KB ≈ 135 MB of parsed messages.</summary>
    private const long HeapBound = 48L << 20;

    [Fact]
    public async Task ProgressFlood_30000NotificationsOf2KB_HeapStaysBoundedAndTheCallerGetsTheAnswer()
    {
        Peers.RequireInstalled();
        await using var gateway = await GatewayUnderTest.StartAsync($$"""
              stress:
                command: "node"
                args: ["{{StressServer.Script}}", "stdio"]
                timeout: "120s"
            """);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("stress"), "2025-11-25");
        var seen = 0;
        var last = 0.0;
        var progress = new Progress<ModelContextProtocol.ProgressNotificationValue>(p => { seen++; last = Math.Max(last, p.Progress); });

        string answer;
        long growth;
        await using (var heap = HeapWatch.Start())
        {
            answer = Clients.Text(await client.CallToolAsync("flood", new Dictionary<string, object?> { ["count"] = 30_000, ["size"] = 2048 }, progress));
            growth = heap.PeakGrowth;
        }

        output.WriteLine($"progress flood: live heap peak +{growth / 1024} KiB; {seen} of 30000 progress notifications delivered");
        Assert.Equal("flooded 30000", answer);
        Assert.True(growth < HeapBound, $"the live heap grew by {growth / (1 << 20)} MiB during the flood (bound {HeapBound / (1 << 20)} MiB)");
        Assert.InRange(seen, 1, 30_000);
    }

    [Theory]
    [InlineData("stdio")]
    [InlineData("http")]
    [InlineData("http --json")]
    public async Task Answer200MiB_CallerGetsTooLargeError_HeapStaysBoundedAndTheUpstreamStaysConnected(string transport)
    {
        Peers.RequireInstalled();
        await using var server = transport == "stdio" ? null : await StressServer.StartAsync([.. transport.Split(' ').Skip(1)]);
        var upstream = server is null
            ? $$"""
                  stress:
                    command: "node"
                    args: ["{{StressServer.Script}}", "stdio"]
                    timeout: "60s"
                """
            : $$"""
                  stress:
                    url: "{{server.Url}}"
                    timeout: "60s"
                """;
        await using var gateway = await GatewayUnderTest.StartAsync(upstream);
        await using var client = await Clients.ConnectAsync(gateway.Mcp("stress"), "2025-11-25");

        McpProtocolException refused;
        long growth;
        await using (var heap = HeapWatch.Start())
        {
            refused = await Assert.ThrowsAsync<McpProtocolException>(() => client.CallToolAsync("huge", new Dictionary<string, object?> { ["mib"] = 200 }).AsTask());
            growth = heap.PeakGrowth;
        }

        var after = await client.CallToolAsync("echo", new Dictionary<string, object?> { ["text"] = "still here" });
        var (_, ready, _) = await Readyz.GetAsync(gateway);

        output.WriteLine($"200 MiB answer over {transport}: live heap peak +{growth / 1024} KiB");
        Assert.Equal(-32060, (int)refused.ErrorCode);
        Assert.Contains("maxMessageBytes", refused.Message, StringComparison.Ordinal);
        Assert.True(growth < HeapBound, $"the live heap grew by {growth / (1 << 20)} MiB for a 200 MiB answer (bound {HeapBound / (1 << 20)} MiB)");
        Assert.Equal("still here", Clients.Text(after));
        Assert.Equal(0, (int)ready["upstreams"]!["stress"]!["restarts"]!);
    }
}
