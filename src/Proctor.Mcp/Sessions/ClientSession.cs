using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions.Replay;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// A session-era client's session with the gateway (<c>Mcp-Session-Id</c>). It is bound to the caller
/// who opened it: a session id is never authentication, and one presented by anyone else is refused.
/// </summary>
public sealed class ClientSession
{
    private const int OutboundCapacity = 1024;
    private long _nextServerRequest;

    public ClientSession(string id, Route route, string owner, string identity, string protocolVersion, JsonObject capabilities, JsonObject? clientInfo, DateTimeOffset now, SessionReplayLimits? replay = null)
    {
        Streams = new SessionStreams(replay ?? SessionReplayLimits.Default);
        Id = id;
        Route = route;
        Owner = owner;
        Identity = identity;
        ProtocolVersion = protocolVersion;
        Capabilities = capabilities;
        ClientInfo = clientInfo;
        LastSeen = now;
    }

    public string Id { get; }

    public Route Route { get; }

    /// <summary>The subject of the caller who sent <c>initialize</c>.</summary>
    public string Owner { get; }

    /// <summary>Whose share of the session limit this session counts against: <see cref="Owner"/>, or for anonymous callers their address.</summary>
    public string Identity { get; }

    public string ProtocolVersion { get; }

    public JsonObject Capabilities { get; }

    public JsonObject? ClientInfo { get; }

    public DateTimeOffset LastSeen { get; set; }

    public bool Initialized { get; set; }

    /// <summary>
    /// The level of the session's last successful <c>logging/setLevel</c>, or null if it never asked for logs.
    /// Only sessions that asked receive log messages outside any call, from that level up (decision 0012).
    /// </summary>
    public string? LogLevel { get; set; }

    /// <summary>Messages for the GET stream (unsolicited notifications). Bounded: a slow client loses the oldest.</summary>
    public Channel<JsonObject> Outbound { get; } = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(OutboundCapacity) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Client requests in flight, by their JSON id text, so <c>notifications/cancelled</c> can stop them.</summary>
    public ConcurrentDictionary<string, CancellationTokenSource> InFlight { get; } = new(StringComparer.Ordinal);

    /// <summary>Requests the gateway sent to this client and awaits answers for, by gateway-assigned id.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<JsonObject>> AwaitingClient { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>The session's SSE streams and what they sent, for clients that resume with <c>Last-Event-ID</c>.</summary>
    public SessionStreams Streams { get; }

    public string NextServerRequestId() => $"proctor-{Interlocked.Increment(ref _nextServerRequest)}";

    public void Close()
    {
        foreach (var call in InFlight.Values)
        {
            call.Cancel();
        }

        foreach (var awaiting in AwaitingClient.Values)
        {
            awaiting.TrySetCanceled();
        }

        Outbound.Writer.TryComplete();
        Streams.CloseAll();
    }
}
