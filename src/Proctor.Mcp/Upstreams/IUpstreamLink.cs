using System.Text.Json.Nodes;
using System.Threading.Channels;
using Proctor.Mcp.Upstreams.Calls;

namespace Proctor.Mcp.Upstreams;

/// <summary>
/// A message pipe to one running upstream (a child process's stdio, or a legacy HTTP session).
/// A link lives until <see cref="Closed"/> completes; the owning <see cref="SessionUpstream"/> then
/// opens a new one. Links carry messages, each bounded in size; they know nothing of ids, progress or routing.
/// </summary>
public interface IUpstreamLink : IAsyncDisposable
{
    /// <summary>
    /// What the upstream sent, in arrival order. A message written here belongs to the reader: the link MUST NOT
    /// read or write it afterwards. The reader gives an answer its caller's id on another thread, and a parsed
    /// <see cref="System.Text.Json.Nodes.JsonObject"/> builds its members on first use without a lock, so a link's
    /// late read could undo that rewrite and send the caller the gateway's own upstream id (docs/SECURITY.md).
    /// </summary>
    ChannelReader<LinkMessage> Incoming { get; }

    /// <summary>Completes with the reason the link ended (process exit code, HTTP failure).</summary>
    Task<string> Closed { get; }

    /// <summary>Protocol version negotiated on this link; HTTP links send it as a header.</summary>
    string? NegotiatedVersion { get; set; }

    /// <summary>
    /// Sends the message, or queues it to be sent; throws <see cref="UpstreamUnavailableException"/> when the
    /// link is closed or cannot take more. MUST NOT block past <paramref name="cancellationToken"/>.
    /// </summary>
    ValueTask SendAsync(JsonObject message, CancellationToken cancellationToken);

    /// <summary>Sends a call's request as <see cref="SendAsync(JsonObject, CancellationToken)"/> does; a link that writes bytes writes it without a copy.</summary>
    ValueTask SendAsync(UpstreamRequest request, CancellationToken cancellationToken) => SendAsync(request.ToJsonObject(), cancellationToken);

    /// <summary>Since when a message the link accepted has not been written (a full pipe); null when it keeps up.</summary>
    DateTimeOffset? BlockedSince => null;
}

/// <param name="RelatedRequestId">The gateway-side request id this message answers or belongs to, when
/// the transport says so (an SSE stream opened by a POST); null on stdio, where nothing does.</param>
public readonly record struct LinkMessage(JsonObject Message, long? RelatedRequestId);

public interface IUpstreamLinkFactory
{
    /// <summary>Opens a link. Throws with a message fit for /readyz when the upstream cannot be reached.</summary>
    Task<IUpstreamLink> OpenAsync(CancellationToken cancellationToken);
}
