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

if (args is ["verify-cpu-time", ..var runs])
{
    // An optional count of timed runs, e.g. more of them to attach a profiler while they go.
    Proctor.Bench.Micro.Ledger.VerifyCpuTime.Run(runs is [var count] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 7);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
