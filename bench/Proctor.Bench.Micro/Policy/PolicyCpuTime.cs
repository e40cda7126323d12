using System.Globalization;
using System.Runtime.InteropServices;

namespace Proctor.Bench.Micro.Policy;

/// <summary>
/// The decision benchmarks measured in this thread's CPU time rather than wall-clock time
/// (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>), so that a machine shared with other builds does not
/// inflate the figures by the time the thread spent waiting for a core. Reports the median (p50) and
/// p99 over batches of calls. Linux only. Run: <c>dotnet run -c Release --project bench/Proctor.Bench.Micro -- policy-cpu-time</c>
/// (decisions) or <c>-- authorize-cpu-time</c> (the Authorize stage).
/// </summary>
internal static partial class PolicyCpuTime
{
    private const int ThreadCpuClock = 3;
    private const int Batches = 400;
    private const int CallsPerBatch = 500;

    public static void Run()
    {
        var bench = new PolicyDecisionBenchmarks();
        bench.Setup();
        Warm(() => bench.DecideAllow(), () => bench.DecideApprove(), () => bench.DecideDefaultDeny(), () => bench.DecideParsingArguments(), () => bench.Visible(), () => bench.Condition());
        Measure("Decide: allow (conditions true/false)", () => bench.DecideAllow());
        Measure("Decide: approve", () => bench.DecideApprove());
        Measure("Decide: default deny (message built)", () => bench.DecideDefaultDeny());
        Measure("Decide: allow, parsing the arguments", () => bench.DecideParsingArguments());
        Measure("IsVisible (tools/list, per tool)", () => bench.Visible());
        Measure("One CEL condition (2 comparisons)", () => bench.Condition());
        Measure("Explain (1,000 rules traced)", () => bench.Explain(), batches: 40, calls: 20);
        Measure("Build the 1,000-rule policy (load)", () => bench.Build(), batches: 5, calls: 1);
    }

    /// <summary>The Authorize stage end to end (<see cref="AuthorizeStageBenchmarks"/>). Run: <c>… -- authorize-cpu-time</c>.</summary>
    public static void RunAuthorize()
    {
        var bench = new AuthorizeStageBenchmarks();
        bench.Setup();
        Warm(() => Wait(bench.Call()), () => Wait(bench.PipelineWithout()), () => Wait(bench.PipelineWith()), () => bench.ListUnfiltered().Result, () => bench.ListFiltered().Result);
        Measure("Authorize stage: allowed tools/call", () => Wait(bench.Call()));
        Measure("Pipeline without Authorize: tools/call", () => Wait(bench.PipelineWithout()));
        Measure("Pipeline with Authorize: allowed tools/call", () => Wait(bench.PipelineWith()));
        Measure("tools/list of 50: context and answer copy only", () => bench.ListUnfiltered().Result, batches: 200, calls: 50);
        Measure("tools/list of 50: with Authorize (schema review, filter to 48)", () => bench.ListFiltered().Result, batches: 200, calls: 50);
    }

    /// <summary>What a just-in-time grant adds to an allowed call (decision 0041).</summary>
    public static void RunGrants()
    {
        var bench = new GrantCheckBenchmarks();
        bench.Setup();
        Warm(() => Wait(bench.Allowed()), () => Wait(bench.Granted()), () => bench.Lookup()!);
        Measure("Authorize: tools/call allowed by an allow rule", () => Wait(bench.Allowed()));
        Measure("Authorize: tools/call allowed under an active grant", () => Wait(bench.Granted()));
        Measure("ActiveGrants.Covering alone (10,003 grants in memory)", () => bench.Lookup()!);
    }

    private static object Wait(Task task)
    {
        task.GetAwaiter().GetResult();
        return task;
    }

    /// <summary>
    /// Tiered compilation promotes hot methods in the background after a delay; on a loaded machine that can take
    /// seconds, so every operation runs for 2 s of wall time before anything is measured. Then prints the table's head.
    /// </summary>
    private static void Warm(params Func<object>[] operations)
    {
        foreach (var warm in operations)
        {
            var until = DateTime.UtcNow.AddSeconds(2);
            while (DateTime.UtcNow < until)
            {
                for (var i = 0; i < 100; i++)
                {
                    warm();
                }
            }
        }

        Console.WriteLine("| operation | p50 (CPU µs/op) | p99 (CPU µs/op) |");
        Console.WriteLine("|---|---:|---:|");
    }

    private static void Measure(string name, Func<object> operation, int batches = Batches, int calls = CallsPerBatch)
    {
        for (var i = 0; i < Math.Max(calls * 20, 1000) && calls > 1; i++)
        {
            operation();
        }

        var perCall = new double[batches];
        for (var b = 0; b < batches; b++)
        {
            var start = Now();
            for (var i = 0; i < calls; i++)
            {
                operation();
            }

            perCall[b] = (Now() - start) / calls;
        }

        Array.Sort(perCall);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {perCall[batches / 2]:F3} | {perCall[Math.Min(batches - 1, batches * 99 / 100)]:F3} |"));
    }

    /// <summary>This thread's CPU time in microseconds.</summary>
    private static double Now()
    {
        if (ClockGetTime(ThreadCpuClock, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed; this measurement needs Linux");
        }

        return (time.Seconds * 1e6) + (time.Nanoseconds / 1e3);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);
}
