using System.Globalization;

namespace Proctor.Bench.Soak;

/// <summary>What the soak runs; every bound is explicit, so a run ends whatever happens.</summary>
internal sealed record SoakOptions
{
    public int Sessions { get; init; } = 1_000;

    /// <summary>Loopback source addresses (127.0.0.1 upwards) the sessions are spread over: each is one anonymous identity.</summary>
    public int Sources { get; init; } = 10;

    public TimeSpan Duration { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Mean pause of a session between its calls (uniform from 0 to twice this).</summary>
    public TimeSpan Think { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Every n-th call of a session is a progress flood.</summary>
    public int FloodEvery { get; init; } = 5;

    public int FloodCount { get; init; } = 50;

    public int FloodBytes { get; init; } = 200;

    public TimeSpan SampleEvery { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clients leave their sessions open at the end, so the SIGTERM closes them all (a deploy under sessions).</summary>
    public bool LeaveSessionsOpen { get; init; }

    /// <summary>Samples before this are warm-up (JIT, pools, the ledger's page cache) and not judged.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(60);

    public string Configuration { get; init; } = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";

    public const string Usage = """
        usage: dotnet run -c Release --project bench/Proctor.Bench.Soak -- [options]
          --sessions N       session-era clients (1000)
          --sources N        loopback source addresses, one anonymous identity each (10)
          --duration SEC     how long the clients call (300)
          --think SEC        mean pause between a session's calls (10)
          --flood-every N    every n-th call floods progress (5)
          --flood-count N    progress notifications per flood (50)
          --flood-bytes N    characters per progress message (200)
          --sample SEC       sampling interval (10)
          --warmup SEC       samples before this are not judged (60)
          --leave-open       clients do not DELETE their sessions: the SIGTERM closes them
          --quick            200 sessions for 60 s, warm-up 20 s (options after it override)
        """;

    public static SoakOptions? Parse(string[] args)
    {
        var options = new SoakOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Count() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture);
            TimeSpan Seconds() => TimeSpan.FromSeconds(double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture));
            options = args[i] switch
            {
                "--sessions" => options with { Sessions = Count() },
                "--sources" => options with { Sources = Math.Clamp(Count(), 1, 250) },
                "--duration" => options with { Duration = Seconds() },
                "--think" => options with { Think = Seconds() },
                "--flood-every" => options with { FloodEvery = Count() },
                "--flood-count" => options with { FloodCount = Count() },
                "--flood-bytes" => options with { FloodBytes = Count() },
                "--sample" => options with { SampleEvery = Seconds() },
                "--warmup" => options with { WarmUp = Seconds() },
                "--quick" => options with { Sessions = 200, Duration = TimeSpan.FromSeconds(60), WarmUp = TimeSpan.FromSeconds(20), SampleEvery = TimeSpan.FromSeconds(5) },
                "--leave-open" => options with { LeaveSessionsOpen = true },
                "--help" or "-h" => null,
                var unknown => throw new ArgumentException($"unknown option {unknown}"),
            };
            if (options is null)
            {
                return null;
            }
        }

        return options;
    }
}
