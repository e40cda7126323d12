using System.Text.Json.Nodes;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// One configured MCP server as the gateway sees it: a connector that keeps itself connected and
/// relays calls. The gateway is the upstream's only client; many client sessions share it.
/// </summary>
public abstract class Upstream : IAsyncDisposable
{
    protected Upstream(string name) => Name = name;

    public string Name { get; }

    public abstract UpstreamHealth Health { get; }

    public abstract UpstreamDescription? Description { get; }

    /// <summary>True when the upstream speaks 2026-07-28 itself (and so serves subscriptions/listen).</summary>
    public virtual bool ServesModern => false;

    /// <summary>The description to show a caller of the given era (differs only for dual-era upstreams).</summary>
    public virtual UpstreamDescription? DescriptionFor(bool modernCaller) => Description;

    /// <summary>Raised for server messages that belong to no call (list_changed, resources/updated, logs).</summary>
    public event Action<Upstream, JsonObject>? UnsolicitedNotification;

    public abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Sends one request and returns its response carrying the caller's original id. Throws
    /// <see cref="UpstreamUnavailableException"/> when the upstream is not connected or dies mid-call.
    /// Cancelling the token cancels the call upstream (notifications/cancelled or closing the stream).
    /// </summary>
    public abstract Task<JsonObject> CallAsync(JsonObject request, IUpstreamCallSink sink, CancellationToken cancellationToken);

    /// <summary>Whether <see cref="NotifyAsync"/> sends anything now: 2026-07-28 HTTP upstreams take no client notifications.</summary>
    public virtual bool TakesClientNotifications => true;

    public abstract ValueTask NotifyAsync(JsonObject notification, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    protected void RaiseUnsolicited(JsonObject notification) => UnsolicitedNotification?.Invoke(this, notification);
}

public sealed class UpstreamUnavailableException(string upstream, string reason)
    : Exception($"Upstream '{upstream}' is unavailable: {reason}")
{
    public string Upstream { get; } = upstream;

    public string Reason { get; } = reason;
}
