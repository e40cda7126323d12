using Proctor.FunctionalTests.Infrastructure;
using Proctor.FunctionalTests.Relay;

namespace Proctor.FunctionalTests.Operations;

/// <summary><c>/metrics</c> in Prometheus text format: per-call counters and latency, upstream readiness, the ledger's commit and append times.</summary>
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
        // The call's request and response were each committed before going on: at least two durable appends and one commit.
        Assert.True(Total(metrics, "proctor_ledger_append_duration_seconds_count") >= 2, metrics);
        Assert.Matches("proctor_ledger_commit_duration_seconds_bucket\\{[^}]*outcome=\"ok\"", metrics);
        Assert.True(Total(metrics, "proctor_ledger_commit_events_sum") >= 2, metrics);
        Assert.True(Total(metrics, "proctor_ledger_commit_duration_seconds_sum") > 0, metrics);
    }

    private static double Total(string metrics, string name) => metrics.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}
