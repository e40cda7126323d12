namespace Proctor.Configuration;

/// <summary>
/// The bounds on what one upstream can make the gateway hold (docs/RELIABILITY.md): the size of one
/// message from it, the calls in flight to it, and the messages waiting in each queue between them.
/// </summary>
public sealed record UpstreamLimits
{
    public const long DefaultMaxMessageBytes = 16L << 20;
    public const int DefaultMaxCallsInFlight = 1024;
    public const int DefaultMaxQueuedMessages = 256;

    public static readonly UpstreamLimits Default = new();

    /// <summary>Largest single message accepted from the upstream (a stdio line, an HTTP body, an SSE event).</summary>
    public long MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>Calls in flight to the upstream at once; more are refused with -32060.</summary>
    public int MaxCallsInFlight { get; init; } = DefaultMaxCallsInFlight;

    /// <summary>
    /// Messages that may wait in each queue: for one call's client (progress coalesced, then the upstream
    /// is held back), and to be written to a stdio upstream's stdin (then calls are refused at once).
    /// </summary>
    public int MaxQueuedMessages { get; init; } = DefaultMaxQueuedMessages;

    /// <summary>An upstream silent this long is pinged; one that does not answer within its timeout is stalled.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);
}
