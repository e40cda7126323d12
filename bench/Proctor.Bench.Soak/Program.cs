using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Proctor.Bench.Soak;

SoakOptions options;
try
{
    if (SoakOptions.Parse(args) is not { } parsed)
    {
        Console.WriteLine(SoakOptions.Usage);
        return 0;
    }

    options = parsed;
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine($"error: {ex.Message}\n{SoakOptions.Usage}");
    return 2;
}

var root = FindRoot();
var proctor = Path.Combine(root, "src", "Proctor", "bin", options.Configuration, "net10.0", "proctor.dll");
var upstream = Path.Combine(root, "tests", "node", "soak-upstream-server.mjs");
var work = Directory.CreateTempSubdirectory("proctor-soak-").FullName;
var port = FreePort();
var config = Path.Combine(work, "proctor.yaml");
// Defaults throughout: the sessions are spread so that each source address (one anonymous identity) stays within
// gateway.maxSessionsPerIdentity (100), as well-behaved callers do.
await File.WriteAllTextAsync(config, $"""
    gateway:
      listen: "http://127.0.0.1:{port}"
    storage:
      path: "{Path.Combine(work, "proctor.db")}"
    logging:
      level: "Warning"
    upstreams:
      soak:
        command: "node"
        args: ["{upstream}"]
    """);

using var gateway = Process.Start(new ProcessStartInfo("dotnet", [proctor, "serve", "--config", config]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
var gatewayLog = new List<string>();
gateway.OutputDataReceived += (_, e) => { if (e.Data is { } line) { lock (gatewayLog) { gatewayLog.Add(line); } } };
gateway.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { lock (gatewayLog) { gatewayLog.Add(line); } } };
gateway.BeginOutputReadLine();
gateway.BeginErrorReadLine();
try
{
    await WaitForListeningAsync(port, TimeSpan.FromSeconds(60));
    var endpoint = new Uri($"http://127.0.0.1:{port}/mcp/soak");
    using var observer = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
    var sampler = new GatewaySampler(gateway.Id, new Uri($"http://127.0.0.1:{port}/metrics"), observer);
    var tally = new SoakTally();
    var sources = Enumerable.Range(1, options.Sources).Select(i => SoakClient.From(IPAddress.Parse($"127.0.0.{i}"))).ToArray();
    Console.Error.WriteLine($"soak: {options.Sessions} sessions over {options.Sources} source addresses for {options.Duration.TotalSeconds:0} s; gateway pid {gateway.Id}, data in {work}");

    var started = Stopwatch.StartNew();
    var until = DateTime.UtcNow + options.Duration;
    using var abort = new CancellationTokenSource(options.Duration + TimeSpan.FromMinutes(2));
    var clients = Enumerable.Range(0, options.Sessions)
        .Select(i => Task.Run(() => new SoakClient(sources[i % sources.Length], endpoint, options, tally, i).RunAsync(until, abort.Token)))
        .ToArray();
    var samples = new List<Sample>();
    while (DateTime.UtcNow < until)
    {
        await Task.Delay(options.SampleEvery);
        var sample = await sampler.TakeAsync(started.Elapsed, tally);
        samples.Add(sample);
        Console.Error.WriteLine($"  {sample.At.TotalSeconds,5:0} s  RSS {Mib(sample.RssBytes),7:0.0} MiB  heap {Mib(sample.HeapBytes),7:0.0} MiB  sessions {sample.SessionsOpen,5}  calls {sample.Calls,7}  errors {sample.Errors}");
    }

    await Task.WhenAll(clients);
    var signalled = Stopwatch.StartNew();
    Process.Start("kill", ["-TERM", gateway.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
    await gateway.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
    Report.Write(options, samples, tally, gateway.ExitCode, signalled.Elapsed);
    return tally.Errors == 0 && gateway.ExitCode == 0 ? 0 : 1;
}
finally
{
    if (!gateway.HasExited)
    {
        gateway.Kill(entireProcessTree: true);
        lock (gatewayLog)
        {
            Console.Error.WriteLine(string.Join('\n', gatewayLog.TakeLast(20)));
        }
    }

    Directory.Delete(work, recursive: true);
}

static double Mib(long bytes) => bytes / 1048576.0;

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static async Task WaitForListeningAsync(int port, TimeSpan timeout)
{
    var deadline = DateTime.UtcNow + timeout;
    while (true)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            return;
        }
        catch (SocketException) when (DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
    }
}

static string FindRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Proctor.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("cannot find Proctor.sln above the soak's binaries");
}
