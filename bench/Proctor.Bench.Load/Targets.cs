using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Proctor.Bench.Load;

/// <summary>Where the driver finds the programs it starts; all paths derived from the repository root.</summary>
internal sealed record BenchPaths(string Root, string Configuration, string Node, string? Baseline = null)
{
    public string UpstreamExe => Path.Combine(Root, "bench", "Proctor.Bench.Upstream", "bin", Configuration, "net10.0", "Proctor.Bench.Upstream");

    public string ProctorDll => Path.Combine(Root, "src", "Proctor", "bin", Configuration, "net10.0", "proctor.dll");

    /// <summary>The benchmark-only host of the same gateway with its ledger in memory (decision 0031).</summary>
    public string MemoryGatewayDll => Path.Combine(Root, "bench", "Proctor.Bench.Gateway", "bin", Configuration, "net10.0", "Proctor.Bench.Gateway.dll");

    public string BaselineProctorDll => Path.Combine(Baseline ?? "(no --baseline)", "src", "Proctor", "bin", Configuration, "net10.0", "proctor.dll");

    public string FixtureDll => Path.Combine(Root, "samples", "Proctor.Samples.Conformance", "bin", Configuration, "net10.0", "Proctor.Samples.Conformance.dll");

    public string NodeModules => Path.Combine(Root, "tests", "node", "node_modules");

    public string Supergateway => Path.Combine(NodeModules, "supergateway", "dist", "index.js");

    public string McpProxy => Path.Combine(NodeModules, "mcp-proxy", "dist", "bin", "mcp-proxy.mjs");

    public string BindLoopback => Path.Combine(Root, "tests", "node", "bind-loopback.cjs");

    public static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Proctor.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find Proctor.sln above the driver's binaries; pass --repo");
    }

    /// <summary>The files a target needs, so a missing build is reported before anything starts.</summary>
    public IEnumerable<string> Required(string target) => target switch
    {
        "direct" => [UpstreamExe],
        "proctor" or "proctor-ping" => [UpstreamExe, ProctorDll],
        "proctor-memory" => [UpstreamExe, MemoryGatewayDll],
        "proctor-baseline" => [UpstreamExe, BaselineProctorDll],
        "http-proctor-baseline" => [FixtureDll, BaselineProctorDll],
        "supergateway" => [UpstreamExe, Supergateway, BindLoopback],
        "mcp-proxy" => [UpstreamExe, McpProxy],
        "http-direct" => [FixtureDll],
        "http-proctor" => [FixtureDll, ProctorDll],
        _ => [],
    };
}

/// <summary>A system under test, started and with an open session, ready for load.</summary>
internal sealed class RunningTarget(string name, string upstream, IMcpClient client, IReadOnlyList<SutProcess> processes, string notes, Uri? metrics = null) : IAsyncDisposable
{
    private static readonly HttpClient MetricsClient = new() { Timeout = TimeSpan.FromSeconds(5) };

    // A process running a fixture (its program, or the assembly `dotnet` runs) counts as upstream;
    // everything else, including a shell a gateway starts the upstream through, as gateway.
    private static readonly string[] UpstreamPrograms = ["Proctor.Bench.Upstream", "Proctor.Samples.Conformance.dll"];

    public string Name { get; } = name;

    public string Upstream { get; } = upstream;

    public IMcpClient Client { get; } = client;

    public string Notes { get; } = notes;

    public string? Failure => processes.FirstOrDefault(p => p.HasExited) is { } gone ? $"{gone.Name} exited: {gone.RecentOutput()}" : null;

    /// <summary>Resets the peak RSS of every process of the target; false if the kernel refused.</summary>
    public bool ResetPeaks()
    {
        var ok = true;
        foreach (var pid in processes.SelectMany(p => p.Tree()))
        {
            ok &= SutProcess.ResetPeakRss(pid);
        }

        return ok;
    }

    /// <summary>Sum of VmHWM over every process of the target, and over its gateway processes only.</summary>
    public (long All, long Gateway, int Processes) Peaks()
    {
        long all = 0, gateway = 0;
        var pids = processes.SelectMany(p => p.Tree()).Distinct().ToList();
        foreach (var pid in pids)
        {
            var peak = SutProcess.PeakRss(pid);
            all += peak;
            if (!IsUpstream(pid))
            {
                gateway += peak;
            }
        }

        return (all, gateway, pids.Count);
    }

    /// <summary>CPU ticks and context switches of the gateway processes and of the upstream, the upstream's read syscalls, and the gateway's allocated bytes, so far.</summary>
    public async Task<Usage> CpuAndReadsAsync()
    {
        long gatewayCpu = 0, upstreamCpu = 0, upstreamReads = 0, gatewaySwitches = 0;
        foreach (var pid in processes.SelectMany(p => p.Tree()).Distinct())
        {
            var (cpu, reads) = SutProcess.Usage(pid);
            if (IsUpstream(pid))
            {
                upstreamCpu += cpu;
                upstreamReads += reads;
            }
            else
            {
                gatewayCpu += cpu;
                gatewaySwitches += SutProcess.ContextSwitches(pid);
            }
        }

        var scraped = await ScrapeAsync().ConfigureAwait(false);
        return new Usage(gatewayCpu, upstreamCpu, upstreamReads, Environment.CpuUsage.TotalTime, gatewaySwitches, scraped.Allocated, scraped.JitMethods, scraped.Ledger, scraped.Gc);
    }

    /// <summary>Methods the gateway's runtime has compiled so far (its /metrics); NaN for targets without them.</summary>
    public async Task<double> JitMethodsAsync() => (await ScrapeAsync().ConfigureAwait(false)).JitMethods;

    /// <summary>
    /// From the gateway's own /metrics: bytes its runtime has allocated so far (the System.Runtime meter's
    /// <c>dotnet.gc.heap.total_allocated</c>; unlike time, unaffected by what else runs on the machine), methods its JIT has
    /// compiled, the ledger's histogram sums (Proctor.Ledger meter) and its garbage collector's gen2 collections and pause
    /// time. NaN and zeros without them.
    /// </summary>
    private async Task<(double Allocated, double JitMethods, LedgerTotals Ledger, GcTotals Gc)> ScrapeAsync()
    {
        if (metrics is null)
        {
            return (double.NaN, double.NaN, default, GcTotals.None);
        }

        try
        {
            var text = await MetricsClient.GetStringAsync(metrics).ConfigureAwait(false);
            return (Sum(text, "dotnet_gc_heap_total_allocated_bytes_total"), Sum(text, "dotnet_jit_compiled_methods_total"), new LedgerTotals(
                Sum(text, "proctor_ledger_append_duration_seconds_sum"), Sum(text, "proctor_ledger_append_duration_seconds_count"),
                Sum(text, "proctor_ledger_commit_duration_seconds_sum"), Sum(text, "proctor_ledger_commit_duration_seconds_count"),
                Sum(text, "proctor_ledger_commit_events_sum")),
                new GcTotals(Sum(text, "dotnet_gc_collections_total", "gc_heap_generation=\"gen2\""), Sum(text, "dotnet_gc_pause_time_seconds_total")));
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return (double.NaN, double.NaN, default, GcTotals.None);
        }
    }

    /// <summary>The sum of a metric's samples over all its label sets (those with <paramref name="label"/>, if given); NaN when it is absent.</summary>
    private static double Sum(string exposition, string name, string? label = null)
    {
        var total = double.NaN;
        foreach (var line in exposition.Split('\n'))
        {
            if (line.StartsWith(name, StringComparison.Ordinal) && line.Length > name.Length && line[name.Length] is ' ' or '{' && line.LastIndexOf(' ') is var space and > 0
                && (label is null || line.AsSpan(0, space).Contains(label, StringComparison.Ordinal))
                && double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                total = (double.IsNaN(total) ? 0 : total) + value;
            }
        }

        return total;
    }

    private static bool IsUpstream(int pid)
    {
        var argv = SutProcess.Arguments(pid);
        var program = argv.Length > 1 && Path.GetFileName(argv[0]) == "dotnet" ? argv[1] : argv.FirstOrDefault() ?? "";
        return UpstreamPrograms.Contains(Path.GetFileName(program));
    }

    public async ValueTask DisposeAsync()
    {
        // Kill first: the stdio client's read loop ends when the pipe closes.
        foreach (var process in processes.Reverse())
        {
            process.Dispose();
        }

        await Client.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Cumulative CPU ticks (10 ms) of a target's gateway and upstream processes, the upstream's read syscalls, and the driver's CPU time.</summary>
internal readonly record struct Usage(long GatewayTicks, long UpstreamTicks, long UpstreamReads, TimeSpan DriverCpu, long GatewaySwitches, double GatewayAllocated, double GatewayJitMethods, LedgerTotals Ledger, GcTotals Gc)
{
    /// <summary>Per-call cost between two snapshots: CPU µs of gateway, upstream and driver, and calls per upstream read.</summary>
    public static CallCost PerCall(Usage before, Usage after, int calls) => calls == 0
        ? new CallCost(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, after.GatewayJitMethods - before.GatewayJitMethods, LedgerCost.None, GcCost.None)
        : new CallCost(
            (after.GatewayTicks - before.GatewayTicks) * 10_000.0 / calls,
            (after.UpstreamTicks - before.UpstreamTicks) * 10_000.0 / calls,
            (after.DriverCpu - before.DriverCpu).TotalMicroseconds / calls,
            after.UpstreamReads > before.UpstreamReads ? (double)calls / (after.UpstreamReads - before.UpstreamReads) : double.NaN,
            (double)(after.GatewaySwitches - before.GatewaySwitches) / calls,
            (after.GatewayAllocated - before.GatewayAllocated) / calls,
            after.GatewayJitMethods - before.GatewayJitMethods,
            LedgerCost.Between(before.Ledger, after.Ledger, calls),
            new GcCost(after.Gc.Gen2Collections - before.Gc.Gen2Collections, (after.Gc.PauseSeconds - before.Gc.PauseSeconds) * 1e6 / calls));
}

/// <summary>The gateway runtime's gen2 collections and seconds paused for collection, so far (System.Runtime meter).</summary>
internal readonly record struct GcTotals(double Gen2Collections, double PauseSeconds)
{
    public static readonly GcTotals None = new(double.NaN, double.NaN);
}

/// <summary>During a level: the gateway's gen2 collections (not per call), and µs per call its threads were paused for collection.</summary>
internal readonly record struct GcCost(double Gen2Collections, double PauseUsPerCall)
{
    public static readonly GcCost None = new(double.NaN, double.NaN);
}

/// <summary>Running sums of the gateway ledger's histograms (docs/operations.md, "Metrics"): seconds appends waited, seconds commits took, events committed.</summary>
internal readonly record struct LedgerTotals(double AppendSeconds, double Appends, double CommitSeconds, double Commits, double CommittedEvents);

/// <summary>Per call: µs its records waited to be durable (request and response together); per commit: µs in the store and events carried.</summary>
internal readonly record struct LedgerCost(double WaitUsPerCall, double CommitUs, double EventsPerCommit)
{
    public static readonly LedgerCost None = new(double.NaN, double.NaN, double.NaN);

    public static LedgerCost Between(LedgerTotals before, LedgerTotals after, int calls)
    {
        var commits = after.Commits - before.Commits;
        return double.IsNaN(after.Commits) || commits <= 0 ? None : new(
            (after.AppendSeconds - before.AppendSeconds) * 1e6 / calls,
            (after.CommitSeconds - before.CommitSeconds) * 1e6 / commits,
            (after.CommittedEvents - before.CommittedEvents) / commits);
    }
}

/// <summary>CPU µs per call of each side, and calls answered per read syscall of the upstream (pipelining).</summary>
/// <param name="GatewaySwitches">Context switches of the gateway's threads per call: thread wake-ups and preemptions.</param>
/// <param name="GatewayAllocatedBytes">Bytes the gateway allocated per call (its /metrics), NaN for gateways without it.</param>
/// <param name="GatewayJitMethods">Methods the gateway's JIT compiled during the level (not per call): above a few, tiering was still running and took CPU from the level.</param>
/// <param name="Ledger">What the gateway's ledger says durability cost, for gateways that export it.</param>
/// <param name="Gc">The gateway's garbage collection during the level: pauses delay every call in flight, so they lead p99.</param>
internal readonly record struct CallCost(double GatewayUs, double UpstreamUs, double DriverUs, double CallsPerUpstreamRead, double GatewaySwitches, double GatewayAllocatedBytes, double GatewayJitMethods, LedgerCost Ledger, GcCost Gc);

/// <summary>Starts each target on the same upstream binary; every server listens on 127.0.0.1 only.</summary>
internal sealed partial class TargetLauncher(BenchPaths paths, Options options, string workDirectory)
{
    public async Task<RunningTarget> StartAsync(string target, CancellationToken cancellationToken)
    {
        var echo = ToolCall.Echo(options.PayloadBytes);
        var started = new List<SutProcess>();
        try
        {
            switch (target)
            {
                case "direct":
                {
                    var upstream = SutProcess.Start("upstream", paths.UpstreamExe, [], protocolPipes: true);
                    started.Add(upstream);
                    using var timeout = Deadline(cancellationToken);
                    var client = await StdioMcpClient.ConnectAsync(upstream.StandardInput, upstream.StandardOutput, echo, timeout.Token).ConfigureAwait(false);
                    return new RunningTarget(target, "stdio echo", client, started, "the driver speaks stdio to the upstream, requests pipelined over the pipe");
                }

                case "proctor" or "proctor-memory" or "proctor-baseline":
                {
                    var port = FreePort();
                    var (config, bearer) = WriteProctorConfig(port, GatewayOf(target), $"""
                            command: "{paths.UpstreamExe}"
                        """);
                    started.Add(StartProctor(config, GatewayOf(target)));
                    var client = await ConnectHttpAsync(new Uri($"http://127.0.0.1:{port}/mcp/bench"), echo, bearer, started, cancellationToken).ConfigureAwait(false);
                    return new RunningTarget(target, "stdio echo", client, started, $"{Describe(target)}{await ReadyzAsync(port, cancellationToken).ConfigureAwait(false)}", Metrics(port));
                }

                case "proctor-ping":
                {
                    // Analysis: the same gateway and upstream, but ping on the aggregated endpoint, which
                    // the gateway answers itself: its HTTP and session cost without the upstream hop.
                    var port = FreePort();
                    var (config, bearer) = WriteProctorConfig(port, paths.ProctorDll, $"""
                            command: "{paths.UpstreamExe}"
                        """);
                    started.Add(StartProctor(config, paths.ProctorDll));
                    var client = await ConnectHttpAsync(new Uri($"http://127.0.0.1:{port}/mcp"), ToolCall.Ping(), bearer, started, cancellationToken).ConfigureAwait(false);
                    return new RunningTarget(target, "none (ping answered by the gateway)", client, started, "ping on /mcp, answered by the gateway itself (analysis row: the gateway's HTTP cost without the upstream)", Metrics(port));
                }

                case "supergateway":
                {
                    var port = FreePort();
                    started.Add(SutProcess.Start("supergateway", options.Node,
                    [
                        "--require", paths.BindLoopback, paths.Supergateway,
                        "--stdio", $"'{paths.UpstreamExe}'",
                        "--outputTransport", "streamableHttp", "--stateful",
                        "--port", port.ToString(CultureInfo.InvariantCulture),
                        "--logLevel", "none",
                    ]));
                    var client = await ConnectHttpAsync(new Uri($"http://127.0.0.1:{port}/mcp"), echo, bearer: null, started, cancellationToken).ConfigureAwait(false);
                    return new RunningTarget(target, "stdio echo", client, started, "stateful stdio→Streamable HTTP (one upstream process per session; the driver uses one session), --logLevel none");
                }

                case "mcp-proxy":
                {
                    var port = FreePort();
                    started.Add(SutProcess.Start("mcp-proxy", options.Node,
                    [
                        paths.McpProxy,
                        "--host", "127.0.0.1",
                        "--port", port.ToString(CultureInfo.InvariantCulture),
                        "--server", "stream",
                        "--", paths.UpstreamExe,
                    ]));
                    var client = await ConnectHttpAsync(new Uri($"http://127.0.0.1:{port}/mcp"), echo, bearer: null, started, cancellationToken).ConfigureAwait(false);
                    return new RunningTarget(target, "stdio echo", client, started, "stdio→Streamable HTTP (--server stream), otherwise defaults");
                }

                case "http-direct":
                {
                    var fixturePort = FreePort();
                    started.Add(StartFixture(fixturePort));
                    var client = await ConnectHttpAsync(new Uri($"http://127.0.0.1:{fixturePort}/mcp"), FixtureCall(), bearer: null, started, cancellationToken).ConfigureAwait(false);
                    return new RunningTarget(target, "HTTP conformance fixture", client, started, "the driver speaks Streamable HTTP to the fixture");
                }

                case "http-proctor" or "http-proctor-baseline":
                {
                    var fixturePort = FreePort();
                    started.Add(StartFixture(fixturePort));
                    var port = FreePort();
                    var (config, bearer) = WriteProctorConfig(port, GatewayOf(target), $"""
                            url: "http://127.0.0.1:{fixturePort}/mcp"
                            era: {options.HttpEra}
                        """);
                    started.Add(StartProctor(config, GatewayOf(target)));
                    var client = await ConnectHttpAsync(new Uri($"http://127.0.0.1:{port}/mcp/bench"), FixtureCall(), bearer, started, cancellationToken).ConfigureAwait(false);
                    return new RunningTarget(target, "HTTP conformance fixture", client, started, $"{Describe(target)}{await ReadyzAsync(port, cancellationToken).ConfigureAwait(false)}", Metrics(port));
                }

                default:
                    throw new ArgumentException($"unknown target {target}");
            }
        }
        catch
        {
            foreach (var process in started)
            {
                process.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Each call's own region, so that an answer reaching another call shows even with that call's id; the fixed text
    /// when the gateway speaks 2026-07-28 to the fixture, which then wants the region mirrored in a header the
    /// session-era driver does not send (the same tool on both HTTP targets keeps them comparable).
    /// </summary>
    private ToolCall FixtureCall() => options.HttpEra == "modern" ? ToolCall.SimpleText() : ToolCall.Region();

    /// <summary>Starts a gateway: <c>proctor.dll serve</c>, or the benchmark-only host, which takes the same <c>--config</c>.</summary>
    private static SutProcess StartProctor(string config, string dll) =>
        SutProcess.Start("proctor", "dotnet", Path.GetFileName(dll) == "proctor.dll" ? [dll, "serve", "--config", config] : [dll, "--config", config]);

    private string GatewayOf(string target) => target switch
    {
        "proctor-memory" => paths.MemoryGatewayDll,
        "proctor-baseline" or "http-proctor-baseline" => paths.BaselineProctorDll,
        _ => paths.ProctorDll,
    };

    private string Describe(string target) => target switch
    {
        "proctor-memory" => "benchmark-only host (bench/Proctor.Bench.Gateway): the same gateway with the ledger's frames built and dropped in memory, NOT durable (no write, no fdatasync, no index); ",
        "proctor-baseline" or "http-proctor-baseline" => $"baseline build {paths.BaselineProctorDll}; ",
        _ => "",
    };

    private SutProcess StartFixture(int port) =>
        SutProcess.Start("conformance-fixture", "dotnet", [paths.FixtureDll, "--urls", $"http://127.0.0.1:{port}"]);

    /// <summary>
    /// A gateway's configuration, and the bearer its calls carry. By default the full path of issue 13's goals: the driver
    /// is an agent (an agent key in the gateway's storage, group <c>bench</c>) that a policy rule allows on the upstream,
    /// so Authenticate and Authorize do their work on every call. <c>--anonymous</c> leaves out identity and policy (the
    /// gateway's built-in allow-all), as the figures before 2026-12-04's fourth stop were measured.
    /// </summary>
    private (string Config, string? Bearer) WriteProctorConfig(int port, string gateway, string upstream)
    {
        // A baseline build keeps storage of its own, and its agent key is made by its own command: a ledger written by
        // one build may be in a format the other does not read (decision 0060), and a gateway refuses such a ledger.
        var baseline = gateway == paths.BaselineProctorDll;
        var directory = baseline ? Directory.CreateDirectory(Path.Combine(workDirectory, "baseline")).FullName : workDirectory;
        var file = Path.Combine(directory, $"proctor-{port}.yaml");
        File.WriteAllText(file, $"""
            # generated by Proctor.Bench.Load
            gateway:
              listen: "http://127.0.0.1:{port}"
              # one client drives the whole load: the per-identity limits would measure themselves, not the gateway
              maxConcurrentCallsPerIdentity: 100000
              maxCallsPerSecondPerIdentity: 1000000
            logging:
              level: "{options.ProctorLogLevel}"
            {(options.Anonymous ? "" : IdentityAndPolicy(port, directory))}
            upstreams:
              bench:
            {upstream}
            """);
        // A fresh name each time: the targets of a build share its directory's storage, and ports come round again.
        return (file, options.Anonymous ? null : CreateAgentKey(file, $"bench-load-{Guid.NewGuid():N}", baseline ? paths.BaselineProctorDll : paths.ProctorDll));
    }

    /// <summary>
    /// Agent keys need an <c>identity:</c> section, which needs an issuer: a made-up one whose keys are pinned from a file,
    /// so that the gateway fetches nothing. No token of it is ever used.
    /// </summary>
    private static string IdentityAndPolicy(int port, string directory)
    {
        const string Issuer = "https://issuer.bench.invalid";
        var keys = Path.Combine(directory, "bench-issuer.jwks.json");
        if (!File.Exists(keys))
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var point = key.ExportParameters(includePrivateParameters: false).Q;
            File.WriteAllText(keys, $$"""{"keys":[{"kty":"EC","crv":"P-256","kid":"bench","use":"sig","alg":"ES256","x":"{{Base64Url.EncodeToString(point.X)}}","y":"{{Base64Url.EncodeToString(point.Y)}}"}]}""");
        }

        return $"""
            identity:
              resource: "http://127.0.0.1:{port}/mcp"
              issuers: ["{Issuer}"]
              issuerKeys: {"{"} "{Issuer}": "{Path.GetFileName(keys)}" {"}"}
            policy:
              rules:
                - id: bench-agents
                  effect: allow
                  subjects: {"{"} groups: [bench] {"}"}
                  targets: {"{"} servers: [bench] {"}"}
            """;
    }

    /// <summary>
    /// <c>proctor keys create</c> of the build <paramref name="proctorDll"/> against the configuration's storage; returns
    /// the key it prints once.
    /// </summary>
    private static string CreateAgentKey(string config, string name, string proctorDll)
    {
        var create = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { proctorDll, "keys", "create", "--name", name, "--groups", "bench", "--expires", "1d", "--config", config })
        {
            create.ArgumentList.Add(arg);
        }

        using var process = Process.Start(create) ?? throw new InvalidOperationException("could not start proctor keys create");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("proctor keys create did not finish in 60 s");
        }

        var key = AgentKeyPattern().Match(output.Result);
        return process.ExitCode == 0 && key.Success
            ? key.Value
            : throw new InvalidOperationException($"proctor keys create exited {process.ExitCode} without a key:{Environment.NewLine}{output.Result}{errors.Result}");
    }

    [GeneratedRegex("prk_[A-Za-z0-9_-]{43}")]
    private static partial Regex AgentKeyPattern();

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.StartupTimeout);
        return deadline;
    }

    /// <summary>
    /// Opens a session and makes one call, retrying until both succeed (servers and their upstreams
    /// take a moment to start), a process dies, or the startup timeout passes.
    /// </summary>
    private async Task<IMcpClient> ConnectHttpAsync(Uri endpoint, ToolCall call, string? bearer, IReadOnlyList<SutProcess> processes, CancellationToken cancellationToken)
    {
        using var deadline = Deadline(cancellationToken);
        var last = "not tried";
        while (true)
        {
            if (processes.FirstOrDefault(p => p.HasExited) is { } gone)
            {
                throw new InvalidOperationException($"{gone.Name} exited during startup:{Environment.NewLine}{gone.RecentOutput()}");
            }

            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new TimeoutException($"{endpoint} not ready after {options.StartupTimeout.TotalSeconds:0} s: {last}{Environment.NewLine}{string.Join(Environment.NewLine, processes.Select(p => p.RecentOutput()))}");
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            attempt.CancelAfter(TimeSpan.FromSeconds(5));
            HttpMcpClient? client = null;
            try
            {
                client = await HttpMcpClient.ConnectAsync(endpoint, call, bearer, attempt.Token).ConfigureAwait(false);
                last = await client.CallAsync(attempt.Token).ConfigureAwait(false) ?? "";
                if (last.Length == 0)
                {
                    return client;
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                last = ex.Message;
            }

            if (client is not null)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }

            try
            {
                await Task.Delay(100, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Proctor's /readyz (upstream era and protocol version) for the notes.</summary>
    private async Task<string> ReadyzAsync(int port, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            var readyz = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/readyz"), cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(readyz);
            var upstream = document.RootElement.GetProperty("upstreams").GetProperty("bench");
            return $"gateway at logging level {options.ProctorLogLevel}; /readyz: upstream state {upstream.GetProperty("state")}, era {upstream.GetProperty("era")}, protocol {upstream.GetProperty("protocolVersion")}";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return $"readyz: {ex.Message}";
        }
    }

    private static Uri Metrics(int port) => new($"http://127.0.0.1:{port}/metrics");

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
