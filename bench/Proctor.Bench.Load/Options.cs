using System.Globalization;

namespace Proctor.Bench.Load;

/// <summary>Command-line options. Every loop the driver runs is bounded by these counts and durations.</summary>
internal sealed record Options
{
    public static readonly string[] AllTargets = ["direct", "proctor", "proctor-baseline", "proctor-memory", "proctor-ping", "supergateway", "mcp-proxy", "http-direct", "http-proctor", "http-proctor-baseline"];

    /// <summary>Targets that run another build of the gateway; only with <c>--baseline</c>.</summary>
    public static readonly string[] BaselineTargets = ["proctor-baseline", "http-proctor-baseline"];

    public int[] Concurrency { get; init; } = [1, 8, 32, 64];

    /// <summary>Upper bound on the length of one concurrency level.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The whole target sequence runs this many times; the report shows the median of each figure.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Upper bound on the requests of one concurrency level.</summary>
    public int Requests { get; init; } = 200_000;

    /// <summary>Warm-up every target gets, at the highest level.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest warm-up of a gateway whose JIT is still compiling (its /metrics) when <see cref="Warmup"/> ends.</summary>
    public TimeSpan WarmupLimit { get; init; } = TimeSpan.FromSeconds(60);

    public int WarmupRequests { get; init; } = 500_000;

    /// <summary>A request still unanswered this long after its level ended counts as an error.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public string[] Targets { get; init; } = [.. AllTargets.Except(BaselineTargets)];

    /// <summary>Repository root of another build of the gateway (e.g. the commit before a change), run as the baseline targets in the same rounds.</summary>
    public string? Baseline { get; init; }

    /// <summary>Length of the text argument sent to echo.</summary>
    public int PayloadBytes { get; init; } = 64;

    /// <summary>
    /// How long each worker waits between an answer and its next call in the measured levels (spinning, so the wait is
    /// exact): a direct target paced like one behind a gateway shows what its upstream costs when it is called less often.
    /// </summary>
    public TimeSpan PauseBetweenCalls { get; init; }

    public string Node { get; init; } = "node";

    public string? RepositoryRoot { get; init; }

    public string Configuration { get; init; } = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public string ProctorLogLevel { get; init; } = "Warning";

    /// <summary>Gateways without identity and policy; by default the driver authenticates with an agent key and a rule allows it.</summary>
    public bool Anonymous { get; init; }

    public string? MarkdownFile { get; init; }

    /// <summary><c>era</c> of the gateway's HTTP upstream in the http-proctor targets: auto (the gateway detects it), legacy or modern.</summary>
    public string HttpEra { get; init; } = "auto";

    public bool Quick { get; init; }

    public const string Usage = """
        Proctor end-to-end load driver (bench/README.md)

        usage: dotnet run -c Release --project bench/Proctor.Bench.Load -- [options]

          --quick                 short run (one round; levels 1,8,32; 1.5 s per level; 0.5 s warm-up): under a minute
          --rounds N              run every target N times, interleaved, and report medians (default 3)
          --concurrency LIST      concurrency levels, e.g. 1,8,32,64 (default)
          --duration SECONDS      upper bound on each level's length (default 5)
          --requests N            upper bound on each level's requests (default 200000)
          --warmup SECONDS        warm-up length per target, at the highest level (default 10)
          --warmup-max SECONDS    a gateway whose JIT still compiles more than 20 methods a second (its /metrics) warms up
                                  a second at a time until it does not, up to this long in all (default 60)
          --targets LIST          any of direct,proctor,proctor-baseline,proctor-memory,proctor-ping,supergateway,
                                  mcp-proxy,http-direct,http-proctor,http-proctor-baseline (default all; the baseline ones with --baseline)
          --baseline PATH         repository root of another build (same configuration) of src/Proctor: its gateway runs as
                                  proctor-baseline and http-proctor-baseline, interleaved with the current one
          --payload BYTES         length of the echo argument (default 64)
          --pause MICROSECONDS    each worker waits this long between an answer and its next call in the measured levels
                                  (default 0), e.g. to call http-direct as often as a gateway in front of it does
          --http-era ERA          upstreams.bench.era of the http-proctor targets: auto (default; the fixture serves both eras, so
                                  session-era calls go through the gateway's upstream session), legacy (session only) or modern
                                  (2026-07-28 only: every call a stateless POST)
          --request-timeout SEC   per-request grace after a level ends (default 10)
          --proctor-log-level L   logging.level of the gateway under test (default Warning)
          --anonymous             gateways without identity and policy (callers anonymous, the built-in allow-all policy);
                                  by default the driver is an agent with an agent key that a policy rule allows
          --node PATH             node executable for the npm peers (default: node on PATH)
          --repo PATH             repository root (default: found above the driver's binaries)
          --configuration NAME    build configuration of proctor and the fixtures (default: the driver's)
          --markdown FILE         also write the results as Markdown to FILE
          -h, --help              this text
        """;

    public static Options? Parse(string[] args)
    {
        var options = new Options();
        if (args.Contains("--quick"))
        {
            options = options with
            {
                Quick = true,
                Rounds = 1,
                Concurrency = [1, 8, 32],
                Duration = TimeSpan.FromSeconds(1.5),
                Requests = 50_000,
                Warmup = TimeSpan.FromSeconds(0.5),
                WarmupLimit = TimeSpan.FromSeconds(0.5),
                WarmupRequests = 5_000,
                RequestTimeout = TimeSpan.FromSeconds(5),
                StartupTimeout = TimeSpan.FromSeconds(30),
            };
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--quick" => options,
                "--concurrency" => options with { Concurrency = Value().Split(',').Select(v => Positive(int.Parse(v, CultureInfo.InvariantCulture), "--concurrency")).ToArray() },
                "--duration" => options with { Duration = Seconds(Value(), "--duration") },
                "--rounds" => options with { Rounds = Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--rounds") },
                "--requests" => options with { Requests = Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--requests") },
                "--warmup" => options with { Warmup = Seconds(Value(), "--warmup") },
                "--warmup-max" => options with { WarmupLimit = Seconds(Value(), "--warmup-max") },
                "--targets" => options with { Targets = ParseTargets(Value()) },
                "--payload" => options with { PayloadBytes = Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--payload") },
                "--pause" => options with { PauseBetweenCalls = TimeSpan.FromMicroseconds(Positive(int.Parse(Value(), CultureInfo.InvariantCulture), "--pause")) },
                "--request-timeout" => options with { RequestTimeout = Seconds(Value(), "--request-timeout") },
                "--proctor-log-level" => options with { ProctorLogLevel = Value() },
                "--anonymous" => options with { Anonymous = true },
                "--node" => options with { Node = Value() },
                "--repo" => options with { RepositoryRoot = Path.GetFullPath(Value()) },
                "--baseline" => options with { Baseline = Path.GetFullPath(Value()) },
                "--configuration" => options with { Configuration = Value() },
                "--markdown" => options with { MarkdownFile = Path.GetFullPath(Value()) },
                "--http-era" => options with { HttpEra = Era(Value()) },
                "-h" or "--help" => null,
                var unknown => throw new ArgumentException($"unknown option {unknown}"),
            };
            if (options is null)
            {
                return null;
            }
        }

        if (options.Baseline is not null && !args.Contains("--targets"))
        {
            options = options with { Targets = AllTargets };
        }
        else if (options.Baseline is null && options.Targets.Intersect(BaselineTargets).Any())
        {
            throw new ArgumentException($"{string.Join(",", BaselineTargets)} need --baseline PATH");
        }

        return options;
    }

    private static string[] ParseTargets(string list)
    {
        var targets = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var target in targets)
        {
            if (!AllTargets.Contains(target))
            {
                throw new ArgumentException($"unknown target {target}; use any of {string.Join(",", AllTargets)}");
            }
        }

        return AllTargets.Where(targets.Contains).ToArray(); // always in the canonical order
    }

    private static string Era(string value) =>
        value is "auto" or "legacy" or "modern" ? value : throw new ArgumentException($"--http-era must be auto, legacy or modern, not {value}");

    private static TimeSpan Seconds(string value, string name)
    {
        var seconds = double.Parse(value, CultureInfo.InvariantCulture);
        return seconds is > 0 and <= 600 ? TimeSpan.FromSeconds(seconds) : throw new ArgumentException($"{name} must be in (0, 600] seconds");
    }

    private static int Positive(int value, string name) => value > 0 ? value : throw new ArgumentException($"{name} must be positive");
}
