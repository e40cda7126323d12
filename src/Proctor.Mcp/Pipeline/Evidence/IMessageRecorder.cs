namespace Proctor.Mcp.Pipeline.Evidence;

/// <summary>
/// The ledger for messages that belong to no call (docs/decisions/0012): a client's notifications, recorded
/// before they have any effect; an upstream's notifications delivered outside any call, recorded before they
/// are delivered; client messages refused before they could become calls. Payloads are masked copies only.
/// Each method completes once the event is durably committed and throws <see cref="RecordingFailedException"/>
/// when it cannot be; the message MUST then have no effect (not forwarded, not delivered, not acted on).
/// </summary>
public interface IMessageRecorder
{
    ValueTask ClientNotificationAsync(ClientNotificationRecord record, CancellationToken cancellationToken);

    ValueTask UpstreamNotificationAsync(UpstreamNotificationRecord record, CancellationToken cancellationToken);

    ValueTask MessageRefusedAsync(MessageRefusal refusal, CancellationToken cancellationToken);
}

/// <param name="Server">The upstream it is forwarded to; or, for one the gateway acts on itself (a cancellation), the route's server, null on <c>/mcp</c>.</param>
/// <param name="Notification">The notification masked for no audience.</param>
public sealed record ClientNotificationRecord(Caller Caller, string? Server, MaskedPayload Notification);

/// <param name="Notification">The notification masked for no audience; every recipient receives this copy.</param>
/// <param name="Audience">Who was entitled to it: <c>subscribers</c>, <c>route</c> (list changes) or <c>logging</c>.</param>
/// <param name="Recipients">How many session streams and listen streams it is delivered to.</param>
public sealed record UpstreamNotificationRecord(string Upstream, MaskedPayload Notification, string Audience, int Recipients);

/// <param name="Server">The route's server, null on <c>/mcp</c>.</param>
/// <param name="Refusal">The JSON-RPC error the client received, masked for no audience; <c>error.data.reason</c> holds the reason code.</param>
public sealed record MessageRefusal(Caller Caller, string? Server, MaskedPayload Refusal);
