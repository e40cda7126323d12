using System.Text.RegularExpressions;

namespace Proctor.FunctionalTests.Infrastructure;

/// <summary>The gateway's <c>/metrics</c>; the Prometheus exporter caches a scrape for 300 ms, so a fresh count is waited for, bounded.</summary>
internal static class MetricsScrape
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public static Task<string> GetAsync(GatewayUnderTest gateway) => Http.GetStringAsync(new Uri(gateway.BaseAddress, "/metrics"));

    /// <summary>Scrapes until <paramref name="pattern"/> matches (at most 5 s) and returns that scrape.</summary>
    public static async Task<string> WaitForAsync(GatewayUnderTest gateway, string pattern)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var text = await GetAsync(gateway);
            if (Regex.IsMatch(text, pattern))
            {
                return text;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"/metrics never matched {pattern} within 5 s; last scrape:\n{text}");
            }

            await Task.Delay(100);
        }
    }
}
