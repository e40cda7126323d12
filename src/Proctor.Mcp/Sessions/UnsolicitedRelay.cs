using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Sessions;

/// <summary>
/// Delivers upstream messages that belong to no call to the sessions entitled to them and to nobody else
/// (docs/decisions/0012): list changes to legacy sessions on a route that includes the upstream and to listen
/// streams that asked for them; <c>resources/updated</c> only to those subscribed to that URI on that
/// upstream; log messages only to legacy sessions on such a route that asked for logs (<c>logging/setLevel</c>),
/// from the level they asked for up; anything else to nobody, since nothing says whose it is. Messages tied to
/// a call never come here: the upstream hands them to the call (and so to its caller alone).
/// A message is masked for no audience (several callers may receive it) and recorded once
/// (<c>upstream.notification</c>) before any copy is delivered; when masking or the ledger fails it is withheld.
/// One background loop does this in arrival order, so the upstream's reader never waits on the ledger.
/// </summary>
public sealed partial class UnsolicitedRelay(ClientSessionStore sessions, IPayloadMasker masker, IMessageRecorder recorder, ILogger<UnsolicitedRelay> logger) : IAsyncDisposable
{
    /// <summary>As many as one session's GET stream holds (ClientSession): a burst that fills it is already being lost downstream.</summary>
    private const int QueueCapacity = 1024;

    /// <summary>RFC 5424 severities in MCP's order (LoggingLevel in schema.ts), least severe first.</summary>
    private static readonly FrozenDictionary<string, int> Severity = new[] { "debug", "info", "notice", "warning", "error", "critical", "alert", "emergency" }
        .Select((level, rank) => KeyValuePair.Create(level, rank)).ToFrozenDictionary(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<ListenStream, byte> _listeners = new();
    private readonly Channel<(Upstream Upstream, JsonObject Notification)> _queue = Channel.CreateBounded<(Upstream, JsonObject)>(
        new BoundedChannelOptions(QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    private Task? _pump;

    public void Attach(UpstreamRegistry upstreams)
    {
        foreach (var upstream in upstreams.Ordered)
        {
            upstream.UnsolicitedNotification += Enqueue;
        }

        _pump ??= Task.Run(PumpAsync);
    }

    /// <summary>The 2026-07-28 listen streams open now.</summary>
    public IEnumerable<ListenStream> Listeners => _listeners.Keys;

    /// <summary>Registers a listen stream until the returned handle is disposed.</summary>
    public IDisposable Listen(ListenStream stream)
    {
        _listeners[stream] = 0;
        return new Registration(() => _listeners.TryRemove(stream, out _));
    }

    private void Enqueue(Upstream upstream, JsonObject notification)
    {
        if (!_queue.Writer.TryWrite((upstream, notification)))
        {
            Log.Dropped(logger, JsonRpc.Method(notification) ?? "?", upstream.Name);
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var (upstream, notification) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await DeliverAsync(upstream, notification).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Log.Fault(logger, JsonRpc.Method(notification) ?? "?", upstream.Name, ex);
            }
        }
    }

    /// <summary>Masks, records, then delivers one message to the sessions entitled to it.</summary>
    internal async Task DeliverAsync(Upstream upstream, JsonObject received)
    {
        var method = JsonRpc.Method(received);
        var (recipients, audience) = RecipientsOf(upstream, received, method);
        if (recipients.Count == 0)
        {
            Log.NobodyEntitled(logger, method ?? "?", upstream.Name);
            return;
        }

        MaskedPayload masked;
        try
        {
            masked = masker.Mask(received, new MaskingScope(upstream.Name, null), revealTo: null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.Withheld(logger, method ?? "?", upstream.Name, ex is MaskingFailedException ? ex.Message : ex.GetType().Name);
            return;
        }

        try
        {
            await recorder.UpstreamNotificationAsync(new UpstreamNotificationRecord(upstream.Name, masked, audience, recipients.Count), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RecordingFailedException or ObjectDisposedException or InvalidOperationException)
        {
            Log.NotRecorded(logger, method ?? "?", upstream.Name, ex.Message);
            return;
        }

        foreach (var recipient in recipients)
        {
            recipient.TryWrite(masked.Message.DeepClone().AsObject());
        }
    }

    private (List<ChannelWriter<JsonObject>> Recipients, string Audience) RecipientsOf(Upstream upstream, JsonObject received, string? method)
    {
        var recipients = new List<ChannelWriter<JsonObject>>();
        switch (method)
        {
            case McpMethods.ResourceUpdated:
                // Routed by the URI the upstream sent, which is what callers subscribed to; they receive it masked.
                var uri = received["params"]?["uri"]?.ToString();
                foreach (var session in sessions.All)
                {
                    if (session.Initialized && Covers(session.Route, upstream) && uri is not null && Subscribed(session.Subscriptions, uri, upstream))
                    {
                        recipients.Add(session.Outbound.Writer);
                    }
                }

                AddListeners(recipients, upstream, method, uri);
                return (recipients, "subscribers");
            case McpMethods.ToolsListChanged or McpMethods.PromptsListChanged or McpMethods.ResourcesListChanged:
                foreach (var session in sessions.All)
                {
                    if (session.Initialized && Covers(session.Route, upstream))
                    {
                        recipients.Add(session.Outbound.Writer);
                    }
                }

                AddListeners(recipients, upstream, method, uri: null);
                return (recipients, "route");
            case McpMethods.Message:
                // 2026-07-28 listen streams never carry logs (they are request-scoped there).
                var level = received["params"]?["level"]?.ToString();
                foreach (var session in sessions.All)
                {
                    if (session.Initialized && Covers(session.Route, upstream) && AtLeast(level, session.LogLevel))
                    {
                        recipients.Add(session.Outbound.Writer);
                    }
                }

                return (recipients, "logging");
            default:
                return (recipients, "none");
        }
    }

    private void AddListeners(List<ChannelWriter<JsonObject>> recipients, Upstream upstream, string method, string? uri)
    {
        foreach (var listener in _listeners.Keys)
        {
            if (Covers(listener.Route, upstream) && listener.Wants(method, uri is not null && Subscribed(listener.Subscriptions, uri, upstream)))
            {
                recipients.Add(listener.Outbound.Writer);
            }
        }
    }

    /// <summary>A session that never asked for logs (null threshold) gets none; unknown levels on either side are not delivered.</summary>
    private static bool AtLeast(string? level, string? threshold) =>
        threshold is not null && level is not null && Severity.TryGetValue(level, out var rank) && Severity.TryGetValue(threshold, out var minimum) && rank >= minimum;

    private static bool Covers(Route route, Upstream upstream) => route.IsAggregate || route.Server == upstream.Name;

    private static bool Subscribed(ConcurrentDictionary<string, string> subscriptions, string uri, Upstream upstream) =>
        subscriptions.TryGetValue(uri, out var owner) && owner == upstream.Name;

    /// <summary>Stops taking messages and waits until those queued are delivered or withheld.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_pump is not null)
        {
            await _pump.ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "Notification {Method} from {Upstream} withheld: it could not be masked ({Reason})")]
        public static partial void Withheld(ILogger logger, string method, string upstream, string reason);

        [LoggerMessage(EventId = 2120, Level = LogLevel.Error, Message = "Notification {Method} from {Upstream} withheld: it could not be recorded in the audit ledger ({Reason})")]
        public static partial void NotRecorded(ILogger logger, string method, string upstream, string reason);

        [LoggerMessage(EventId = 2121, Level = LogLevel.Debug, Message = "Notification {Method} from {Upstream} outside any call: no session is entitled to it, so it was not delivered")]
        public static partial void NobodyEntitled(ILogger logger, string method, string upstream);

        [LoggerMessage(EventId = 2122, Level = LogLevel.Warning, Message = "Notification {Method} from {Upstream} dropped: the relay's queue is full (clients are not reading their streams)")]
        public static partial void Dropped(ILogger logger, string method, string upstream);

        [LoggerMessage(EventId = 2123, Level = LogLevel.Error, Message = "Notification {Method} from {Upstream} could not be relayed; it was not delivered")]
        public static partial void Fault(ILogger logger, string method, string upstream, Exception exception);
    }

    private sealed class Registration(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>A 2026-07-28 <c>subscriptions/listen</c> stream the gateway serves for session-era upstreams.</summary>
/// <param name="owner">The listening caller's key (issuer and subject): changes of that caller's own access reach this stream only.</param>
public sealed class ListenStream(Route route, bool tools, bool prompts, bool resources, string? owner = null)
{
    public Route Route { get; } = route;

    public string? Owner { get; } = owner;

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
