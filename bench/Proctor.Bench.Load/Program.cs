using System.Diagnostics;
using Proctor.Bench.Load;

Options options;
try
{
    if (Options.Parse(args) is not { } parsed)
    {
        Console.WriteLine(Options.Usage);
        return 0;
    }

    options = parsed;
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

var paths = new BenchPaths(options.RepositoryRoot ?? BenchPaths.FindRoot(), options.Configuration, options.Node, options.Baseline);
var missing = options.Targets.SelectMany(paths.Required).Distinct().Where(file => !File.Exists(file)).ToList();
if (missing.Count > 0)
{
    Console.Error.WriteLine("error: missing build outputs or npm peers:");
    missing.ForEach(file => Console.Error.WriteLine($"  {file}"));
    Console.Error.WriteLine($"build with: dotnet build -c {options.Configuration} bench/Proctor.Bench.Load (builds proctor and the fixtures); npm peers: tests/node");
    return 2;
}

// Everything the driver started dies with it: on Ctrl+C (first press stops cleanly, second kills now),
// on SIGTERM (ProcessExit) and on any exception (the finally blocks below).
using var abort = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (abort.IsCancellationRequested)
    {
        SutProcess.KillAll();
        return; // second Ctrl+C: let the runtime terminate the driver
    }

    e.Cancel = true;
    Console.Error.WriteLine("interrupted: stopping every process the benchmark started...");
    abort.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => SutProcess.KillAll();

var workDirectory = Directory.CreateTempSubdirectory("proctor-bench-").FullName;
var launcher = new TargetLauncher(paths, options, workDirectory);
var machine = MachineInfo.Capture(options.Node, paths.Root);
var results = new List<LevelResult>();
var notes = new List<string>();
var peakResetSupported = true;
var loadBefore = MachineInfo.LoadAverage();
var started = Stopwatch.GetTimestamp();

Log($"{options.Rounds} round(s) of {string.Join(",", options.Targets)}; levels {string.Join(",", options.Concurrency)}, each ≤ {options.Duration.TotalSeconds:0.#} s and ≤ {options.Requests} requests; warm-up {options.Warmup.TotalSeconds:0.#}–{options.WarmupLimit.TotalSeconds:0.#} s at {options.Concurrency.Max()}; load average {loadBefore}");
var loads = new List<string> { loadBefore };
try
{
    for (var round = 1; round <= options.Rounds; round++)
    {
        // Even rounds run the targets in reverse: a target's place in the sequence (what ran just before it, how long
        // the driver has been running) is then balanced across rounds instead of favouring the same target every time.
        foreach (var name in round % 2 == 1 ? options.Targets : options.Targets.Reverse())
        {
            abort.Token.ThrowIfCancellationRequested();
            Log($"round {round}, {name}: starting");
            RunningTarget target;
            try
            {
                target = await launcher.StartAsync(name, abort.Token);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception or IOException)
            {
                Log($"{name}: failed to start: {ex.Message}");
                notes.Add($"`{name}` did not start in round {round}: {ToolCall.Truncate(ex.Message.ReplaceLineEndings(" "))}");
                continue;
            }

            await using (target)
            {
                var warmup = await WarmUpAsync(target, options, abort.Token);
                Log($"{name}: {warmup.Describe()}");
                if (round == 1)
                {
                    notes.Add($"`{name}` warm-up: {warmup.Describe()}");
                }
                foreach (var concurrency in options.Concurrency)
                {
                    peakResetSupported &= target.ResetPeaks();
                    var before = await target.CpuAndReadsAsync();
                    var level = await LoadRunner.RunAsync(target, concurrency, options.Requests, options.Duration, options.RequestTimeout, abort.Token, options.PauseBetweenCalls);
                    var after = await target.CpuAndReadsAsync();
                    var (all, gateway, processes) = target.Peaks();
                    level = level with { PeakRssAll = all, PeakRssGateway = gateway, Round = round, Cost = Usage.PerCall(before, after, level.Requests + level.Errors) };
                    results.Add(level);
                    var firstError = level.FirstError is null ? "" : $"; first error: {level.FirstError}";
                    Log(FormattableString.Invariant(
                        $"{name} c={concurrency}: {level.Requests} ok, {level.Errors} errors, {level.RequestsPerSecond:0} req/s, p50 {level.P50Ms:0.000} ms, p99 {level.P99Ms:0.000} ms, p99.9 {level.P999Ms:0.000} ms, longest {level.MaxMs:0.000} ms, peak RSS {all / 1048576.0:0.0} MiB over {processes} processes{firstError}"));
                    if (target.Failure is { } failure)
                    {
                        notes.Add($"`{name}` died during round {round}: {ToolCall.Truncate(failure.ReplaceLineEndings(" "))}");
                        break;
                    }
                }

                if (round == 1)
                {
                    var kinds = target.Client.AnswerKinds;
                    notes.Add($"`{name}`: {target.Notes}{(kinds.Length > 0 ? $" ({kinds})" : "")}");
                }
            }
        }

        loads.Add(MachineInfo.LoadAverage());
    }
}
catch (OperationCanceledException) when (abort.IsCancellationRequested)
{
    Log("interrupted; reporting what was measured");
}
finally
{
    SutProcess.KillAll();
    try
    {
        Directory.Delete(workDirectory, recursive: true);
    }
    catch (IOException)
    {
    }
}

var report = Report.Markdown(options, machine, loads, Stopwatch.GetElapsedTime(started), results, notes, peakResetSupported);
Console.WriteLine(report);
if (options.MarkdownFile is { } file)
{
    File.WriteAllText(file, report);
    Log($"results written to {file}");
}

return abort.IsCancellationRequested ? 130 : 0;

// A gateway's JIT keeps recompiling hot methods for many seconds after its first calls (tiered compilation with dynamic
// PGO; about 6,000 methods over the first ~15 s at concurrency 1 here): a level measured meanwhile shares the two cores
// with the compiler. So after the fixed warm-up, a gateway that still compiles goes on warming a second at a time until its
// JIT is quiet, bounded by --warmup-max. Targets without /metrics get the fixed warm-up only.
static async Task<WarmUp> WarmUpAsync(RunningTarget target, Options options, CancellationToken cancellationToken)
{
    const double QuietMethodsPerSecond = 20;
    var started = Stopwatch.GetTimestamp();
    var level = options.Concurrency.Max();
    var first = await LoadRunner.RunAsync(target, level, options.WarmupRequests, options.Warmup, options.RequestTimeout, cancellationToken);
    var (calls, errors, firstError) = (first.Requests, first.Errors, first.FirstError);
    var lastSecond = double.NaN;
    while (Stopwatch.GetElapsedTime(started) < options.WarmupLimit)
    {
        var before = await target.JitMethodsAsync();
        if (double.IsNaN(before))
        {
            break;
        }
        var slice = await LoadRunner.RunAsync(target, level, options.WarmupRequests, TimeSpan.FromSeconds(1), options.RequestTimeout, cancellationToken);
        (calls, errors, firstError) = (calls + slice.Requests, errors + slice.Errors, firstError ?? slice.FirstError);
        lastSecond = await target.JitMethodsAsync() - before;
        if (lastSecond <= QuietMethodsPerSecond)
        {
            break;
        }
    }
    return new WarmUp(calls, errors, firstError, Stopwatch.GetElapsedTime(started), lastSecond);
}

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

/// <summary>How a target was warmed up: calls, errors, how long, and methods its JIT compiled in the last second (NaN without /metrics).</summary>
internal readonly record struct WarmUp(int Calls, int Errors, string? FirstError, TimeSpan Took, double LastSecondJitMethods)
{
    public string Describe() => FormattableString.Invariant(
        $"{Calls} calls in {Took.TotalSeconds:0.#} s, {Errors} errors{(FirstError is null ? "" : $" (first: {FirstError})")}{(double.IsNaN(LastSecondJitMethods) ? "" : $"; the gateway's JIT compiled {LastSecondJitMethods:0} methods in its last second")}");
}
