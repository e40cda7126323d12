using System.Collections.Concurrent;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Proctor.Samples.Conformance.Resources;

/// <summary>
/// resources/subscribe and resources/unsubscribe for initialize-era sessions: remembers which
/// session wants which URIs and sends <c>notifications/resources/updated</c> on each change.
/// (2026-07-28 replaced these methods by <c>subscriptions/listen</c>; see ListenStream.)
/// </summary>
internal sealed class ResourceSubscriptions
{
    private readonly ConcurrentDictionary<string, Subscriber> _subscribers = new(StringComparer.Ordinal);
    private readonly ILogger<ResourceSubscriptions> _logger;

    public ResourceSubscriptions(WatchedResource watched, ILogger<ResourceSubscriptions> logger)
    {
        _logger = logger;
        watched.Updated += uri => _ = NotifyAsync(uri);
    }

    public ValueTask<EmptyResult> SubscribeAsync(RequestContext<SubscribeRequestParams> context, CancellationToken cancellationToken)
    {
        // Notifications outlive this request, so they go to the session's standalone GET stream;
        // the request-bound server falls back to it once this response has been sent.
        var sessionId = context.Server.SessionId
            ?? throw new InvalidOperationException("resources/subscribe needs a session.");
        var subscriber = _subscribers.GetOrAdd(sessionId, _ => new Subscriber(context.Server));
        subscriber.Uris[context.Params.Uri] = 0;
        return ValueTask.FromResult(new EmptyResult());
    }

    public ValueTask<EmptyResult> UnsubscribeAsync(RequestContext<UnsubscribeRequestParams> context, CancellationToken cancellationToken)
    {
        if (context.Server.SessionId is { } sessionId && _subscribers.TryGetValue(sessionId, out var subscriber))
        {
            subscriber.Uris.TryRemove(context.Params.Uri, out _);
        }

        return ValueTask.FromResult(new EmptyResult());
    }

    /// <summary>Drops everything a session subscribed to, once the session has ended.</summary>
    public void Forget(string sessionId) => _subscribers.TryRemove(sessionId, out _);

    private async Task NotifyAsync(string uri)
    {
        foreach (var (sessionId, subscriber) in _subscribers)
        {
            if (!subscriber.Uris.ContainsKey(uri))
            {
                continue;
            }

            try
            {
                await subscriber.Server.SendNotificationAsync(
                    NotificationMethods.ResourceUpdatedNotification,
                    new ResourceUpdatedNotificationParams { Uri = uri });
            }
            catch (Exception ex)
            {
                // Typically the session ended between the change and this notification; either
                // way it can no longer be reached, so stop trying.
                _subscribers.TryRemove(sessionId, out _);
                _logger.LogDebug(ex, "Dropped the resource subscriptions of session {SessionId}.", sessionId);
            }
        }
    }

    private sealed record Subscriber(McpServer Server)
    {
        public ConcurrentDictionary<string, byte> Uris { get; } = new(StringComparer.Ordinal);
    }
}
