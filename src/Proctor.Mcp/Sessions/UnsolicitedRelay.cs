using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Delivers upstream messages that belong to no call to whoever should see them: legacy sessions on
/// the upstream's routes (their GET stream) and 2026-07-28 listen streams served by the gateway.
/// List changes go to every such listener that asked; <c>resources/updated</c> only to those that
/// subscribed to that URI on that upstream; log messages only to legacy sessions. These messages belong
/// to no call, so they do not pass the pipeline: they are masked here, for no audience since many
/// callers may receive them, and withheld if masking fails.
/// </summary>
public sealed partial class UnsolicitedRelay(ClientSessionStore sessions, IPayloadMasker masker, ILogger<UnsolicitedRelay> logger)
{
    private readonly ConcurrentDictionary<ListenStream, byte> _listeners = new();

    public void Attach(UpstreamRegistry upstreams)
    {
        foreach (var upstream in upstreams.Ordered)
        {
            upstream.UnsolicitedNotification += Deliver;
        }
    }

    /// <summary>Registers a listen stream until the returned handle is disposed.</summary>
    public IDisposable Listen(ListenStream stream)
    {
        _listeners[stream] = 0;
        return new Registration(() => _listeners.TryRemove(stream, out _));
    }

    private void Deliver(Upstream upstream, JsonObject received)
    {
        var method = JsonRpc.Method(received);
        if (Masked(upstream, received, method) is not { } notification)
        {
            return;
        }

        // Routed by the URI the upstream sent, which is what callers subscribed to; they receive it masked.
        var uri = method == McpMethods.ResourceUpdated ? received["params"]?["uri"]?.GetValue<string>() : null;
        foreach (var session in sessions.All)
        {
            if (session.Initialized && Covers(session.Route, upstream) && (uri is null || Subscribed(session.Subscriptions, uri, upstream)))
            {
                session.Outbound.Writer.TryWrite(notification.DeepClone().AsObject());
            }
        }

        foreach (var listener in _listeners.Keys)
        {
            if (Covers(listener.Route, upstream) && listener.Wants(method, uri is not null && Subscribed(listener.Subscriptions, uri, upstream)))
            {
                listener.Outbound.Writer.TryWrite(notification.DeepClone().AsObject());
            }
        }
    }

    private JsonObject? Masked(Upstream upstream, JsonObject notification, string? method)
    {
        try
        {
            return masker.Mask(notification, new MaskingScope(upstream.Name, null), revealTo: null).Message;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Withheld(logger, method ?? "?", upstream.Name, ex is MaskingFailedException ? ex.Message : ex.GetType().Name);
            return null;
        }
    }

    private static bool Covers(Route route, Upstream upstream) => route.IsAggregate || route.Server == upstream.Name;

    private static bool Subscribed(ConcurrentDictionary<string, string> subscriptions, string uri, Upstream upstream) =>
        subscriptions.TryGetValue(uri, out var owner) && owner == upstream.Name;

    private static partial class Log
    {
        [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Notification {Method} from {Upstream} withheld: it could not be masked ({Reason})")]
        public static partial void Withheld(ILogger logger, string method, string upstream, string reason);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>A 2026-07-28 <c>subscriptions/listen</c> stream the gateway serves for session-era upstreams.</summary>
public sealed class ListenStream(Route route, bool tools, bool prompts, bool resources)
{
    public Route Route { get; } = route;

    public ConcurrentDictionary<string, string> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>Bounded: a listener that stops reading loses the oldest notifications, never the gateway's memory.</summary>
    public Channel<JsonObject> Outbound { get; } = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });

    public bool Wants(string? method, bool subscribedUri) => method switch
    {
        McpMethods.ToolsListChanged => tools,
        McpMethods.PromptsListChanged => prompts,
        McpMethods.ResourcesListChanged => resources,
        McpMethods.ResourceUpdated => subscribedUri,
        _ => false,
    };
}
