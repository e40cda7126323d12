using System.Diagnostics;
using System.Globalization;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>
/// <see cref="LedgerVerifyBenchmarks"/> (the log store) timed by the process's CPU time as well as the wall clock, so
/// that a machine shared with other work still shows what verification costs: events per CPU-second is what the
/// cores could do, events per second what this run got. Run: <c>dotnet run -c Release --project bench/Proctor.Bench.Micro -- verify-cpu-time</c>.
/// </summary>
internal static class VerifyCpuTime
{
    public static void Run(int runs = 7)
    {
        var bench = new LedgerVerifyBenchmarks { Store = LedgerStores.After };
        bench.SetupAsync().GetAwaiter().GetResult();
        try
        {
            bench.Verify().GetAwaiter().GetResult(); // warm-up: tiering, page cache
            var results = new List<(double Wall, double Cpu)>();
            for (var run = 0; run < runs; run++)
            {
                GC.Collect();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                bench.Verify().GetAwaiter().GetResult();
                results.Add((wall.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds));
            }

            var events = LedgerVerifyBenchmarks.Events;
            var byCpu = results.Select(r => events / r.Cpu).Order().ToList();
            var byWall = results.Select(r => events / r.Wall).Order().ToList();
            Console.WriteLine($"| verify {events:N0} events, {runs} runs, {Environment.ProcessorCount} cores | median | best |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| events per CPU-second (all threads) | {byCpu[runs / 2]:N0} | {byCpu[^1]:N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| events per second (wall) | {byWall[runs / 2]:N0} | {byWall[^1]:N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| CPU µs per event | {1e6 / byCpu[runs / 2]:F2} | {1e6 / byCpu[^1]:F2} |"));
        }
        finally
        {
            bench.CleanupAsync().GetAwaiter().GetResult();
        }
    }
}
