using BenchmarkDotNet.Running;

if (args is ["policy-cpu-time"])
{
    // Thread CPU time instead of wall-clock time: see Policy/PolicyCpuTime.cs.
    Proctor.Bench.Micro.Policy.PolicyCpuTime.Run();
    return;
}

if (args is ["grants-cpu-time"])
{
    Proctor.Bench.Micro.Policy.PolicyCpuTime.RunGrants();
    return;
}

if (args is ["authorize-cpu-time"])
{
    Proctor.Bench.Micro.Policy.PolicyCpuTime.RunAuthorize();
    return;
}

if (args is ["verify-cpu-time", ..var rest])
{
    // An optional count of timed runs, e.g. more of them to attach a profiler while they go.
    var runs = rest switch
    {
        [] => 7,
        [var count] when int.TryParse(count, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 => n,
        _ => -1,
    };
    if (runs < 0)
    {
        Console.Error.WriteLine($"verify-cpu-time takes at most one argument, a positive count of timed runs (default 7), e.g. verify-cpu-time 25; got: {string.Join(' ', rest)}");
        Environment.ExitCode = 2;
        return;
    }
    Proctor.Bench.Micro.Ledger.VerifyCpuTime.Run(runs);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
