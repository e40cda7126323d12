namespace Proctor.Configuration.Options;

/// <summary>
/// One entry of <c>upstreams:</c> as written. Holds the keys of both kinds; which kind it is follows
/// from <see cref="Command"/> (stdio) or <see cref="Url"/> (remote), and the validators refuse keys of
/// the other kind.
/// </summary>
internal sealed class UpstreamOptions
{
    public const string DefaultInitialBackoff = "1s";
    public const string DefaultMaxBackoff = "30s";
    public const string DefaultShutdownGrace = "5s";
    public const string DefaultEra = "auto";
    public const string DefaultMaxMessageBytes = "16MiB";
    public const string DefaultPingInterval = "30s";

    public static readonly string[] StdioKeys = ["command", "args", "env", "cwd", "restart", "shutdownGrace"];
    public static readonly string[] HttpKeys = ["url", "headers", "era", "allowLinkLocal", "oauth"];
    public static readonly string[] CommonKeys = ["timeout", "requireMfa", "maxAuthAge", "requiredScopes", "maxMessageBytes", "maxCallsInFlight", "maxQueuedMessages", "pingInterval"];

    /// <summary>Decided by which keys were written, so that a malformed <c>command</c> still makes a stdio upstream.</summary>
    public UpstreamTransport Transport => (WrittenKeys.Contains("command"), WrittenKeys.Contains("url")) switch
    {
        (true, false) => UpstreamTransport.Stdio,
        (false, true) => UpstreamTransport.Http,
        (false, false) => UpstreamTransport.None,
        _ => UpstreamTransport.Both,
    };

    /// <summary>True when the entry was not a mapping at all; only its name is checked then.</summary>
    public bool Unreadable { get; set; }

    /// <summary>Keys written, in the order written; used to name keys of the wrong kind.</summary>
    public List<string> WrittenKeys { get; } = [];

    /// <summary>Keys whose value the binder refused (wrong shape); reported already, so validators skip them.</summary>
    public HashSet<string> RefusedKeys { get; } = new(StringComparer.Ordinal);

    public string? Timeout { get; set; }

    /// <summary>Callers must have authenticated with more than one factor (token <c>amr</c>).</summary>
    public string? RequireMfa { get; set; }

    /// <summary>Callers must have authenticated at most this long ago (token <c>auth_time</c>).</summary>
    public string? MaxAuthAge { get; set; }

    /// <summary>Scopes the caller's token must hold.</summary>
    public List<string>? RequiredScopes { get; set; }

    /// <summary>Largest message accepted from the upstream (a size).</summary>
    public string? MaxMessageBytes { get; set; }

    /// <summary>Calls in flight to the upstream at once (a whole number).</summary>
    public string? MaxCallsInFlight { get; set; }

    /// <summary>Messages waiting in each queue between the gateway and the upstream (a whole number).</summary>
    public string? MaxQueuedMessages { get; set; }

    /// <summary>How long the upstream may stay silent before the gateway pings it (a duration).</summary>
    public string? PingInterval { get; set; }

    // stdio
    public string? Command { get; set; }

    public List<string>? Args { get; set; }

    public OrderedDictionary<string, string>? Env { get; set; }

    public string? Cwd { get; set; }

    public RestartOptions? Restart { get; set; }

    public string? ShutdownGrace { get; set; }

    // remote
    public string? Url { get; set; }

    public OrderedDictionary<string, string>? Headers { get; set; }

    public string? Era { get; set; }

    public string? AllowLinkLocal { get; set; }

    public OAuthOptions? OAuth { get; set; }
}

internal enum UpstreamTransport
{
    None,
    Stdio,
    Http,
    Both,
}
