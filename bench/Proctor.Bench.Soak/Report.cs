namespace Proctor.Bench.Soak;

/// <summary>The soak's Markdown report (stdout): the samples, and the steady state judged against ±10 %.</summary>
internal static class Report
{
    private const double Tolerance = 0.10;

    public static void Write(SoakOptions options, IReadOnlyList<Sample> samples, SoakTally tally, int exitCode, TimeSpan shutdown)
    {
        var steady = samples.Where(s => s.At >= options.WarmUp && s.At <= options.Duration).ToList();
        Console.WriteLine($"## Soak: {options.Sessions} sessions, {options.Duration.TotalSeconds:0} s");
        Console.WriteLine();
        Console.WriteLine($"- {options.Sources} source addresses (anonymous identities) of {options.Sessions / options.Sources} sessions; a call every {options.Think.TotalSeconds * 2:0} s at most per session, every {options.FloodEvery}th a flood of {options.FloodCount} progress notifications of {options.FloodBytes} characters");
        Console.WriteLine($"- calls answered {tally.Calls} (floods {tally.Floods}, progress notifications received {tally.Progress}); errors {tally.Errors}{(tally.FirstError is { } first ? $" (first: `{first}`)" : "")}");
        Console.WriteLine($"- SIGTERM after the clients ended{(options.LeaveSessionsOpen ? $", their {options.Sessions} sessions still open" : "")}: exit code {exitCode} in {shutdown.TotalMilliseconds:0} ms");
        Console.WriteLine();
        Console.WriteLine("| t (s) | RSS MiB | GC heap MiB | sessions open | calls | errors |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var s in samples)
        {
            Console.WriteLine($"| {s.At.TotalSeconds:0} | {s.RssBytes / 1048576.0:0.0} | {s.HeapBytes / 1048576.0:0.0} | {s.SessionsOpen} | {s.Calls} | {s.Errors} |");
        }

        Console.WriteLine();
        if (steady.Count < 6)
        {
            Console.WriteLine("Too few samples after the warm-up to judge the steady state.");
            return;
        }

        Console.WriteLine($"Steady state ({options.WarmUp.TotalSeconds:0}–{options.Duration.TotalSeconds:0} s, {steady.Count} samples): {Judge("RSS", steady.Select(s => s.RssBytes).ToList())}; {Judge("GC heap", steady.Select(s => s.HeapBytes).ToList())}.");
    }

    /// <summary>
    /// Flat means no growth: the mean of the last third of the steady samples within ±10 % of the first third's.
    /// Single samples swing with the GC's sawtooth, so the range is reported but not judged.
    /// </summary>
    private static string Judge(string what, IReadOnlyList<long> values)
    {
        var mib = values.Select(v => v / 1048576.0).ToList();
        var third = mib.Count / 3;
        var first = mib.Take(third).Average();
        var last = mib.Skip(mib.Count - third).Average();
        var drift = (last - first) / first;
        return $"{what} {mib.Min():0.0}–{mib.Max():0.0} MiB, first third {first:0.0} MiB, last third {last:0.0} MiB, drift {drift:+0.0%;-0.0%} ({(Math.Abs(drift) <= Tolerance ? "flat" : "NOT flat")})";
    }
}
