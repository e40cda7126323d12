using System.Globalization;
using System.Text;

namespace Proctor.Bench.Load;

/// <summary>The results as Markdown: machine, table, overhead over direct, throughput ratio, goals.</summary>
internal static class Report
{
    // Issue 13's goals (and issue 2's ratio to the npm peers).
    private const double GoalOverheadMs = 0.5;
    private const double GoalCallsPerSecond = 15_000;
    private const double GoalCpuUs = 90;
    private const double GoalP99Ms = 10;
    private const double GoalHttpOverheadMs = 0.6;
    private const double GoalRatio = 3.0;
    private static readonly string[] NpmPeers = ["supergateway", "mcp-proxy"];

    public static string Markdown(Options options, MachineInfo machine, IReadOnlyList<string> loads, TimeSpan elapsed, IReadOnlyList<LevelResult> rounds, IReadOnlyList<string> notes, bool peakResetSupported)
    {
        var results = Medians(rounds);
        var md = new StringBuilder();
        void Line(FormattableString text = default!) => md.AppendLine(text is null ? "" : text.ToString(CultureInfo.InvariantCulture));

        // A table of figures read from the gateways' /metrics: only the levels that have them, none at all if no level does.
        void MetricsTable(IEnumerable<LevelResult> levels, string title, string intro, string[] columns, Func<LevelResult, string[]> cells)
        {
            var rows = levels.ToList();
            if (rows.Count == 0)
            {
                return;
            }

            Line();
            Line($"### {title}");
            Line();
            Line($"{intro}");
            Line();
            Line($"| target | concurrency | {string.Join(" | ", columns)} |");
            Line($"|---|--:|{string.Concat(columns.Select(_ => "--:|"))}");
            foreach (var r in rows)
            {
                Line($"| {r.Target} | {r.Concurrency} | {string.Join(" | ", cells(r))} |");
            }
        }
        void Goal(string what, double value, string unit, double goal, bool atMost, string detail)
        {
            var met = atMost ? value <= goal : value >= goal;
            Line($"- {what}: {value.ToString(unit == "ms" ? "0.000" : "0", CultureInfo.InvariantCulture)} {unit}{(detail.Length > 0 ? $" ({detail})" : "")}, goal {(atMost ? "≤" : "≥")} {goal} {unit} = {value / goal:0.00}× the goal — {(met ? "met" : "not met")}");
        }

        Line($"## Results");
        Line();
        Line($"- Machine: {machine.Cores} cores, {machine.Cpu}, {machine.Memory} RAM, {machine.OperatingSystem} ({machine.Kernel}), {machine.DotNet}, Node {machine.Node}; commit {machine.Commit}, {options.Configuration} build");
        Line($"- Run: {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalSeconds:0} s; load average (1, 5, 15 min) before and after each round: {string.Join(" → ", loads)}");
        Line($"- {options.Rounds} round(s), targets interleaved (each round runs every target in turn, even rounds in reverse order); every figure below is the median over the rounds, and the ranges the lowest and highest round");
        Line($"- Levels: concurrency {string.Join(", ", options.Concurrency)}; each ≤ {options.Duration.TotalSeconds:0.#} s and ≤ {options.Requests} requests, after a warm-up at {options.Concurrency.Max()} of {options.Warmup.TotalSeconds:0.#} s, longer (up to {options.WarmupLimit.TotalSeconds:0.#} s) for a gateway whose JIT was still compiling; echo argument {options.PayloadBytes} bytes{(options.PauseBetweenCalls > TimeSpan.Zero ? $"; each worker paused {options.PauseBetweenCalls.TotalMicroseconds:0} µs between an answer and its next call" : "")}");
        Line($"- Peak RSS: VmHWM summed over the target's process tree (gateway and upstream){(peakResetSupported ? ", reset before each level" : " over the process lifetime (the kernel refused the per-level reset)")}; \"gateway\" leaves out the upstream process");
        Line();
        Line($"| target | upstream | concurrency | requests | errors (all rounds) | req/s | req/s range | p50 ms | p50 range | p99 ms | mean ms | peak RSS MiB | gateway MiB |");
        Line($"|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            Line($"| {r.Target} | {r.Upstream} | {r.Concurrency} | {r.Requests} | {r.Errors} | {r.RequestsPerSecond:0} | {r.Spread.Min:0}–{r.Spread.Max:0} | {r.P50Ms:0.000} | {r.Spread.P50Min:0.000}–{r.Spread.P50Max:0.000} | {r.P99Ms:0.000} | {r.MeanMs:0.000} | {r.PeakRssAll / 1048576.0:0.0} | {r.PeakRssGateway / 1048576.0:0.0} |");
        }

        var errors = rounds.Where(r => r.FirstError is not null).ToList();
        if (errors.Count > 0)
        {
            Line();
            foreach (var r in errors)
            {
                Line($"- errors of {r.Target} at {r.Concurrency} in round {r.Round}: first was `{r.FirstError!.ReplaceLineEndings(" ")}`");
            }
        }

        Line();
        Line($"### Tail latency (ms)");
        Line();
        Line($"Past p99, medians over the rounds, and the longest call of any round: a stall of every call in flight (a slow disk flush, a collection) shows here before it moves p99.");
        Line();
        Line($"| target | concurrency | p99 | p99.9 | longest (median) | longest (any round) |");
        Line($"|---|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            var longest = rounds.Where(x => x.Target == r.Target && x.Concurrency == r.Concurrency).Max(x => x.MaxMs);
            Line($"| {r.Target} | {r.Concurrency} | {Number(r.P99Ms, "0.000")} | {Number(r.P999Ms, "0.000")} | {Number(r.MaxMs, "0.000")} | {Number(longest, "0.000")} |");
        }

        LevelResult? Find(string target, int concurrency) => results.FirstOrDefault(r => r.Target == target && r.Concurrency == concurrency && r.Requests > 0);
        string Overhead(string target, string baseline, int concurrency) =>
            Find(target, concurrency) is { } t && Find(baseline, concurrency) is { } b ? (t.P50Ms - b.P50Ms).ToString("+0.000;-0.000", CultureInfo.InvariantCulture) : "–";

        string Column(string target) => results.Any(r => r.Target == target) ? target : "";
        var gateways = new[] { "proctor", "proctor-baseline", "proctor-memory", "supergateway", "mcp-proxy" }.Where(t => Column(t) != "").ToList();
        var overheads = gateways.Select(t => (Name: t, Over: "direct"))
            .Concat(new (string Name, string Over)[] { ("http-proctor", "http-direct"), ("http-proctor-baseline", "http-direct"), ("proctor-ping", "direct") }.Where(p => Column(p.Name) != ""))
            .ToList();

        Line();
        Line($"### p50 added over the direct path (ms)");
        Line();
        Line($"The http- targets over http-direct; proctor-ping (the gateway alone) over direct. \"durability\" is proctor minus proctor-memory: the same gateway with its ledger's frames built and dropped in memory (no write, no fdatasync, no index).");
        Line();
        var hasMemory = Column("proctor-memory") != "";
        md.Append("| concurrency | ").AppendJoin(" | ", overheads.Select(o => o.Name)).AppendLine(hasMemory ? " | durability |" : " |");
        md.Append("|--:|").AppendJoin("", overheads.Select(_ => "--:|")).AppendLine(hasMemory ? "--:|" : "");
        foreach (var c in options.Concurrency)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {c} | ").AppendJoin(" | ", overheads.Select(o => Overhead(o.Name, o.Over, c)));
            md.AppendLine(hasMemory ? $" | {Overhead("proctor", "proctor-memory", c)} |" : " |");
        }

        string Rps(string target, int c) => Find(target, c) is { } r ? r.RequestsPerSecond.ToString("0", CultureInfo.InvariantCulture) : "–";
        double? Ratio(int c) =>
            Find("proctor", c) is { } p && NpmPeers.Select(peer => Find(peer, c)).Where(r => r is not null).Select(r => r!.RequestsPerSecond).DefaultIfEmpty().Max() is var best and > 0
                ? p.RequestsPerSecond / best
                : null;

        Line();
        Line($"### Throughput through a gateway (req/s)");
        Line();
        md.Append("| concurrency | direct | ").AppendJoin(" | ", gateways).AppendLine(" | proctor ÷ faster npm peer |");
        md.Append("|--:|--:|").AppendJoin("", gateways.Select(_ => "--:|")).AppendLine("--:|");
        foreach (var c in options.Concurrency)
        {
            md.Append(CultureInfo.InvariantCulture, $"| {c} | {Rps("direct", c)} | ").AppendJoin(" | ", gateways.Select(g => Rps(g, c)));
            md.AppendLine(CultureInfo.InvariantCulture, $" | {(Ratio(c) is { } ratio ? $"{ratio:0.00}×" : "–")} |");
        }

        Line();
        Line($"### Cost per call");
        Line();
        Line($"CPU time per call (user + system from /proc, 10 ms ticks, so small levels are coarse) of the gateway processes, the upstream and the load driver itself, and calls answered per read syscall of the upstream (above 1: requests reach it pipelined). All three share the {machine.Cores} cores. At low concurrency the figures include the runtimes' spinning and timers while waiting, so the high-concurrency rows are the ones that show the work per call.");
        Line();
        Line($"Two figures that load on the machine does not inflate: the gateway's context switches per call (every thread wake-up and preemption of its threads, from /proc/PID/task/*/status) and the bytes it allocated per call (its /metrics, System.Runtime meter; Proctor targets only). The last column is the most methods the gateway's JIT compiled during the level in any round: more than a few means tiering still ran and took CPU from the level (see the warm-up notes).");
        Line();
        Line($"| target | concurrency | gateway CPU µs/call | upstream CPU µs/call | driver CPU µs/call | calls per upstream read | gateway context switches/call | gateway KB allocated/call | JIT methods during the level |");
        Line($"|---|--:|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
        {
            var perRead = r.Upstream.StartsWith("stdio", StringComparison.Ordinal) ? Number(r.Cost.CallsPerUpstreamRead, "0.00") : "–"; // socket reads are not counted by syscr
            Line($"| {r.Target} | {r.Concurrency} | {Number(r.Cost.GatewayUs, "0")} | {Number(r.Cost.UpstreamUs, "0")} | {Number(r.Cost.DriverUs, "0")} | {perRead} | {Number(r.Cost.GatewaySwitches, "0.0")} | {Number(r.Cost.GatewayAllocatedBytes / 1024, "0.0")} | {Number(r.Cost.GatewayJitMethods, "0")} |");
        }

        MetricsTable(results.Where(r => !double.IsNaN(r.Cost.Ledger.CommitUs)), "Durability, from the gateway's ledger metrics",
            "From each gateway's own /metrics (Proctor.Ledger meter, means over the level): how long a call's records waited to be durable in all (request and response together, queue included), how long one commit held the store (the frame's write and its `fdatasync`; for proctor-memory, building the frame only), and how many events one commit carried. A call's wait beyond two commits' time is queueing behind other commits and the hand-offs to and from the ledger's writer.",
            ["ledger wait µs/call", "commit µs", "events/commit"],
            r => [Number(r.Cost.Ledger.WaitUsPerCall, "0"), Number(r.Cost.Ledger.CommitUs, "0"), Number(r.Cost.Ledger.EventsPerCommit, "0.0")]);
        MetricsTable(results.Where(r => !double.IsNaN(r.Cost.Gc.Gen2Collections)), "Garbage collection in the gateway",
            "From each gateway's /metrics (System.Runtime meter), medians over the rounds: full (gen2) collections during the level, and the time its threads were paused for collection, per call and as a share of the level. A pause delays every call in flight, so pauses lead the p99.",
            ["gen2 collections in the level", "GC pause µs/call", "share of the level paused"],
            r => [Number(r.Cost.Gc.Gen2Collections, "0"), Number(r.Cost.Gc.PauseUsPerCall, "0.0"), $"{Number(r.Cost.Gc.PauseUsPerCall * r.RequestsPerSecond / 1e4, "0.0")}%"]);

        double Peak(string target) => results.Where(r => r.Target == target).Select(r => r.RequestsPerSecond).DefaultIfEmpty().Max();
        var fasterPeer = NpmPeers.OrderByDescending(Peak).First();

        Line();
        Line($"### Goals");
        Line();
        foreach (var (gateway, http) in new[] { ("proctor", "http-proctor"), ("proctor-baseline", "http-proctor-baseline") })
        {
            if (Column(gateway) == "")
            {
                continue;
            }

            var lowest = options.Concurrency.Min();
            var highest = options.Concurrency.Max();
            Line($"{gateway}:");
            if (Find(gateway, lowest) is { } proctor && Find("direct", lowest) is { } direct)
            {
                Goal($"added p50 at concurrency {lowest}", proctor.P50Ms - direct.P50Ms, "ms", GoalOverheadMs, atMost: true, $"{proctor.P50Ms:0.000} vs {direct.P50Ms:0.000}");
            }

            if (Find(gateway, highest) is { } busy)
            {
                Goal($"throughput at concurrency {highest}", busy.RequestsPerSecond, "calls/s", GoalCallsPerSecond, atMost: false, "");
                Goal($"gateway CPU per call at concurrency {highest}", busy.Cost.GatewayUs, "µs", GoalCpuUs, atMost: true, "");
                Goal($"p99 at concurrency {highest}", busy.P99Ms, "ms", GoalP99Ms, atMost: true, "");
            }

            if (Find(http, lowest) is { } viaGateway && Find("http-direct", lowest) is { } httpDirect)
            {
                Goal($"HTTP upstream, added p50 at concurrency {lowest}", viaGateway.P50Ms - httpDirect.P50Ms, "ms", GoalHttpOverheadMs, atMost: true, $"{http} {viaGateway.P50Ms:0.000} vs http-direct {httpDirect.P50Ms:0.000}");
            }

            if (Peak(gateway) > 0 && Peak(fasterPeer) > 0)
            {
                var ratio = Peak(gateway) / Peak(fasterPeer);
                Line($"- ≥ {GoalRatio}× the req/s of the faster npm peer ({fasterPeer}), best level of each: {Peak(gateway):0} vs {Peak(fasterPeer):0} req/s = {ratio:0.00}× — {(ratio >= GoalRatio ? "met" : "not met")}");
            }

            Line();
        }

        if (notes.Count > 0)
        {
            Line();
            Line($"### Notes");
            Line();
            foreach (var note in notes)
            {
                md.Append("- ").AppendLine(note);
            }
        }

        return md.ToString();
    }

    private static string Number(double value, string format) => double.IsNaN(value) ? "–" : value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>One row per target and level: the median of each figure over the rounds.</summary>
    private static List<LevelResult> Medians(IReadOnlyList<LevelResult> rounds) =>
        rounds
            .GroupBy(r => (r.Target, r.Concurrency))
            .Select(g =>
            {
                var rows = g.ToList();
                double Median(Func<LevelResult, double> figure)
                {
                    var sorted = rows.Select(figure).Where(v => !double.IsNaN(v)).Order().ToList();
                    return sorted.Count == 0 ? double.NaN
                        : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
                        : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
                }

                var rps = rows.Select(r => r.RequestsPerSecond).ToList();
                var requests = (int)Median(r => r.Requests);
                return rows[0] with
                {
                    Requests = requests,
                    Errors = rows.Sum(r => r.Errors),
                    Seconds = requests / Median(r => r.RequestsPerSecond), // so that RequestsPerSecond is the median
                    P50Ms = Median(r => r.P50Ms),
                    P99Ms = Median(r => r.P99Ms),
                    P999Ms = Median(r => r.P999Ms),
                    MaxMs = Median(r => r.MaxMs),
                    MeanMs = Median(r => r.MeanMs),
                    PeakRssAll = (long)Median(r => r.PeakRssAll),
                    PeakRssGateway = (long)Median(r => r.PeakRssGateway),
                    FirstError = rows.Select(r => r.FirstError).FirstOrDefault(e => e is not null),
                    Spread = (rps.Min(), rps.Max(), rows.Min(r => r.P50Ms), rows.Max(r => r.P50Ms), rows.Count),
                    Cost = new CallCost(Median(r => r.Cost.GatewayUs), Median(r => r.Cost.UpstreamUs), Median(r => r.Cost.DriverUs), Median(r => r.Cost.CallsPerUpstreamRead), Median(r => r.Cost.GatewaySwitches), Median(r => r.Cost.GatewayAllocatedBytes),
                        rows.Max(r => r.Cost.GatewayJitMethods), new LedgerCost(Median(r => r.Cost.Ledger.WaitUsPerCall), Median(r => r.Cost.Ledger.CommitUs), Median(r => r.Cost.Ledger.EventsPerCommit)),
                        new GcCost(Median(r => r.Cost.Gc.Gen2Collections), Median(r => r.Cost.Gc.PauseUsPerCall))),
                };
            })
            .ToList();
}
