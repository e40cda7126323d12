using System.Text.RegularExpressions;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Operations;

/// <summary>
/// <c>/metrics</c> cannot be grown from outside (method names are tags only from MCP's closed set), durations are
/// bucketed in seconds, and a tool that fails (<c>isError: true</c>) is counted and logged as a tool error.
/// </summary>
public sealed class MetricsBoundsTests(MetricsBoundsTests.Gateway fixture) : IClassFixture<MetricsBoundsTests.Gateway>
{
    [Fact]
    public async Task InventedMethodNames_MetricsSizeStaysBounded_NoNameExported()
    {
        var headers = new Dictionary<string, string> { ["Mcp-Session-Id"] = await RawMcp.InitializeAsync(fixture.Under.Mcp("everything")) };
        await SendInventedAsync(headers, 1, seed: 1);
        var before = await MetricsScrape.WaitForAsync(fixture.Under, "method=\"other\"");
        await Task.Delay(400); // past the exporter's 300 ms scrape cache, so "before" counts the first call only

        var names = await SendInventedAsync(headers, 200, seed: 2);
        var after = await MetricsScrape.WaitForAsync(fixture.Under, "proctor_calls_total\\{[^}]*method=\"other\"[^}]*\\} 20[01]");

        // Each name as a tag would have added a counter and a histogram series, about 40 KB per 2,000-character name;
        // a few new series of bounded tags (another outcome, a bucket filling) stay far below 32 KB.
        Assert.True(after.Length - before.Length < 32 * 1024, $"/metrics grew by {after.Length - before.Length} bytes after 200 invented method names");
        Assert.DoesNotContain(names, name => after.Contains(name[..40], StringComparison.Ordinal));
        var methods = Regex.Matches(after, "method=\"([^\"]*)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.All(methods, method => Assert.True(method.Length < 32 && !method.StartsWith("x/", StringComparison.Ordinal), method[..Math.Min(40, method.Length)]));
    }

    [Fact]
    public async Task CallDuration_BucketsInSeconds()
    {
        await using (var client = await Clients.ConnectAsync(fixture.Under.Mcp("everything"), "2025-11-25"))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "timed" });
        }

        var metrics = await MetricsScrape.WaitForAsync(fixture.Under, "proctor_call_duration_seconds_bucket\\{");
        var bounds = Regex.Matches(metrics, "proctor_call_duration_seconds_bucket\\{[^}]*le=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();

        Assert.Equal(["0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "120", "300", "+Inf"], bounds);
    }

    [Fact]
    public async Task ToolResultWithIsError_CountedAndLoggedAsToolError()
    {
        await using (var client = await Clients.ConnectAsync(fixture.Under.Mcp("accounts"), "2025-11-25"))
        {
            var failed = await client.CallToolAsync("lock_account", new Dictionary<string, object?>());
            var succeeded = await client.CallToolAsync("ping_account", new Dictionary<string, object?>());
            Assert.True(failed.IsError);
            Assert.NotEqual(true, succeeded.IsError);
        }

        await MetricsScrape.WaitForAsync(fixture.Under, "proctor_calls_total\\{[^}]*method=\"tools/call\",outcome=\"tool_error\",upstream=\"accounts\"\\} 1");
        await MetricsScrape.WaitForAsync(fixture.Under, "proctor_calls_total\\{[^}]*method=\"tools/call\",outcome=\"ok\",upstream=\"accounts\"\\} 1");
        Assert.Contains(fixture.Log.Lines, line => line.Contains("[1010]", StringComparison.Ordinal) && line.Contains("accounts tools/call lock_account -> tool_error", StringComparison.Ordinal));
    }

    private async Task<List<string>> SendInventedAsync(Dictionary<string, string> headers, int count, int seed)
    {
        var random = new Random(seed);
        var names = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var name = "x/" + string.Concat(Enumerable.Range(0, 2000).Select(_ => (char)random.Next('a', 'z' + 1)));
            names.Add(name);
            await RawMcp.PostAsync(fixture.Under.Mcp("everything"), $$"""{"jsonrpc":"2.0","id":{{i + 10}},"method":"{{name}}"}""", headers);
        }

        return names;
    }

    /// <summary>A gateway of its own (its metrics are not shared with other tests) logging every call line.</summary>
    public sealed class Gateway : IAsyncLifetime
    {
        internal CapturedLog Log { get; } = new();

        internal GatewayUnderTest Under { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            Peers.RequireInstalled();
            var accounts = Path.Combine(Peers.RepositoryRoot, "tests", "node", "tool-error-server.mjs");
            Under = await GatewayUnderTest.StartAsync($$"""
                  everything:
                    command: "node"
                    args: ["{{Peers.EverythingServer}}", "stdio"]
                  accounts:
                    command: "node"
                    args: ["{{accounts}}"]
                """, log: Log, logLevel: "Information");
        }

        public async Task DisposeAsync() => await Under.DisposeAsync();
    }
}
