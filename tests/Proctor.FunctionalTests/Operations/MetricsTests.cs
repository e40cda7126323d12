using Proctor.FunctionalTests.Infrastructure;
using Proctor.FunctionalTests.Relay;

namespace Proctor.FunctionalTests.Operations;

/// <summary><c>/metrics</c> in Prometheus text format: per-call counters and latency, upstream readiness.</summary>
[Collection(nameof(EverythingCollection))]
public sealed class MetricsTests(EverythingUpstreams upstreams)
{
    [Fact]
    public async Task Metrics_AfterACall_CountTheCallAndShowUpstreamsReady()
    {
        await using (var client = await Clients.ConnectAsync(upstreams.Gateway.Mcp("everything"), "2025-11-25"))
        {
            await client.CallToolAsync("echo", new Dictionary<string, object?> { ["message"] = "metered" });
        }

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(upstreams.Gateway.BaseAddress, "/metrics"));

        var calls = metrics.Split('\n').Where(l => l.StartsWith("proctor_calls_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(calls, l => l.Contains("upstream=\"everything\"", StringComparison.Ordinal) && l.Contains("method=\"tools/call\"", StringComparison.Ordinal) && l.Contains("outcome=\"ok\"", StringComparison.Ordinal));
        Assert.Contains("proctor_call_duration_seconds_bucket{", metrics, StringComparison.Ordinal);
        Assert.Matches("proctor_upstream_ready\\{[^}]*upstream=\"everything\"[^}]*\\} 1", metrics);
    }
}
