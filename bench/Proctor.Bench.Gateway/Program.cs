using Proctor.Bench.Gateway;
using Proctor.Cli;
using Proctor.Gateway;

// Benchmark-only: `Proctor.Bench.Gateway --config FILE` runs the gateway of that configuration with its ledger in
// memory (VolatileEntryStore). Everything else, masking and the canonical events included, is the product's code.
if (args is not ["--config", var path])
{
    Console.Error.WriteLine("usage: Proctor.Bench.Gateway --config FILE   (benchmarks only: the ledger is NOT durable)");
    return 2;
}

var model = ServeCommand.Load(new FileInfo(path));
if (model is null)
{
    return 2;
}

Console.Error.WriteLine("Proctor.Bench.Gateway: benchmark-only host, the audit ledger is kept in memory and is NOT durable.");
using var stop = new CancellationTokenSource();
await GatewayHost.RunAsync(model, stop.Token, benchmarkAppendTarget: _ => new VolatileEntryStore());
return 0;
