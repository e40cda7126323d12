using System.Text.Json;
using Proctor.Ledger.Events;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Evidence;

/// <summary>Messages that belong to no call, as ledger events (docs/ledger.md, decision 0012). Payloads arrive masked.</summary>
internal sealed partial class LedgerRecorder : IMessageRecorder
{
    private static ReadOnlyMemory<byte> Utf8Of(MaskedPayload masked) => masked.Utf8 ?? JsonSerializer.SerializeToUtf8Bytes(masked.Message);

    public ValueTask ClientNotificationAsync(ClientNotificationRecord record, CancellationToken cancellationToken)
    {
        var utf8 = Utf8Of(record.Notification);
        var notification = JsonElement.Parse(utf8.Span);
        return AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = EventKinds.ClientNotification,
            Time = time.GetUtcNow(),
            Actor = Actor(record.Caller),
            Location = LocationOf(record.Server, record.Caller, record.Caller.SessionId),
            Action = new EventAction { Method = Member(notification, "method")?.GetString() },
            Traffic = new EventTraffic
            {
                BytesIn = utf8.Length,
                MaskedEntities = record.Notification.CountsByEntity.Count == 0 ? null : record.Notification.CountsByEntity,
            },
            Details = notification,
        }, cancellationToken);
    }

    public ValueTask UpstreamNotificationAsync(UpstreamNotificationRecord record, CancellationToken cancellationToken)
    {
        var utf8 = Utf8Of(record.Notification);
        var notification = JsonElement.Parse(utf8.Span);
        return AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = EventKinds.UpstreamNotification,
            Time = time.GetUtcNow(),
            Actor = Gateway,
            Location = new EventLocation { Server = record.Upstream, GatewayNode = gatewayNode },
            Action = new EventAction { Method = Member(notification, "method")?.GetString() },
            Outcome = new EventOutcome { Status = "ok", Summary = $"delivered to {record.Recipients} stream(s) entitled by {record.Audience}" },
            Traffic = new EventTraffic
            {
                BytesOut = utf8.Length,
                MaskedEntities = record.Notification.CountsByEntity.Count == 0 ? null : record.Notification.CountsByEntity,
            },
            Details = notification,
        }, cancellationToken);
    }

    public ValueTask MessageRefusedAsync(MessageRefusal refusal, CancellationToken cancellationToken)
    {
        var error = JsonElement.Parse(Utf8Of(refusal.Refusal).Span);
        return AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = EventKinds.CallRefused,
            Time = time.GetUtcNow(),
            Actor = Actor(refusal.Caller),
            Location = LocationOf(refusal.Server, refusal.Caller, refusal.Caller.SessionId),
            Action = Member(Member(Member(error, "error"), "data"), "method")?.GetString() is { } method ? new EventAction { Method = method } : null,
            Outcome = OutcomeOf(error),
            Decision = RefusalOf(error),
            Details = error,
        }, cancellationToken);
    }
}
