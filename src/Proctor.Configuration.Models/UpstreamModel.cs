using Proctor.Configuration.Models.Schema;

namespace Proctor.Configuration.Models;

/// <summary>
/// One upstream MCP server. <see cref="Name"/> is also the tool prefix in <c>{server}__{tool}</c>.
/// <see cref="Timeout"/> is the upstream's own timeout, or <c>gateway.requestTimeout</c> when it has none.
/// </summary>
public abstract record UpstreamModel(string Name, TimeSpan Timeout)
{
    /// <summary>Callers MUST have authenticated with more than one factor to reach this upstream.</summary>
    public bool RequireMfa { get; init; }

    /// <summary>When set, callers MUST have authenticated at most this long ago (token <c>auth_time</c>).</summary>
    public TimeSpan? MaxAuthenticationAge { get; init; }

    /// <summary>OAuth scopes a caller's token MUST hold (all of them) to reach this upstream; empty: none.</summary>
    public IReadOnlyList<string> RequiredScopes { get; init; } = [];

    /// <summary>
    /// Tool definitions from this upstream are pinned on first sight, and a tool whose definition later changes MUST be
    /// hidden and refused until an admin accepts the new one (<c>proctor tools accept</c>, decision 0034).
    /// </summary>
    public bool PinToolDefinitions { get; init; } = true;

    /// <summary>Message size, calls in flight, queue lengths and liveness checks (<c>maxMessageBytes</c>, …).</summary>
    public UpstreamLimits Limits { get; init; } = UpstreamLimits.Default;
}

/// <summary>
/// The bounds on what one upstream can make the gateway hold (docs/RELIABILITY.md): the size of one
/// message from it, the calls in flight to it, and the messages waiting in each queue between them.
/// Written beside the upstream's other keys (<c>upstreams.crm.maxMessageBytes</c>).
/// </summary>
public sealed record UpstreamLimits
{
    public const long DefaultMaxMessageBytes = 16L << 20;
    public const int DefaultMaxCallsInFlight = 1024;
    public const int DefaultMaxQueuedMessages = 256;

    public static readonly UpstreamLimits Default = new();

    /// <summary>
    /// Largest single message accepted from the upstream (a stdio line, an HTTP body, an SSE event). Below 1 KiB
    /// not even an initialize result fits; above 1 GiB one message could take the gateway's memory.
    /// </summary>
    [Setting("a size", "\"16MiB\"", Minimum = "1KiB", Maximum = "1GiB")]
    public long MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>Calls in flight to the upstream at once; more are refused with -32060.</summary>
    [Setting("a whole number", "1024", Minimum = "1", Maximum = "100000")]
    public int MaxCallsInFlight { get; init; } = DefaultMaxCallsInFlight;

    /// <summary>
    /// Messages that may wait in each queue: for one call's client (progress coalesced, then the upstream
    /// is held back), and to be written to a stdio upstream's stdin (then calls are refused at once).
    /// </summary>
    [Setting("a whole number", "256", Minimum = "1", Maximum = "100000")]
    public int MaxQueuedMessages { get; init; } = DefaultMaxQueuedMessages;

    /// <summary>An upstream silent this long is pinged; one that does not answer within its timeout is stalled.</summary>
    [Setting("a duration", "\"30s\"")]
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);
}
