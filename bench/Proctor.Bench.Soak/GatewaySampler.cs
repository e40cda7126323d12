using System.Globalization;

namespace Proctor.Bench.Soak;

internal sealed record Sample(TimeSpan At, long RssBytes, long HeapBytes, long SessionsOpen, long Calls, long Errors);

/// <summary>The gateway's memory as the operating system sees it (VmRSS) and as its GC does (the System.Runtime meter on /metrics).</summary>
internal sealed class GatewaySampler(int pid, Uri metrics, HttpClient http)
{
    public async Task<Sample> TakeAsync(TimeSpan at, SoakTally tally)
    {
        var text = await http.GetStringAsync(metrics);
        return new Sample(at, Rss(), Sum(text, "dotnet_gc_last_collection_heap_size_bytes"), Sum(text, "proctor_sessions_open"), tally.Calls, tally.Errors);
    }

    private long Rss()
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>Sums a Prometheus metric over its label sets (e.g. the heap over its generations).</summary>
    private static long Sum(string exposition, string name)
    {
        double total = 0;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && (line.Length == name.Length || line[name.Length] is '{' or ' '))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return (long)total;
    }
}
