using BenchmarkDotNet.Running;

if (args is ["policy-cpu-time"])
{
    // Thread CPU time instead of wall-clock time: see Policy/PolicyCpuTime.cs.
    Proctor.Bench.Micro.Policy.PolicyCpuTime.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
