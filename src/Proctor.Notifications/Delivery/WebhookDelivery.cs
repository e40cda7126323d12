namespace Proctor.Notifications.Delivery;

/// <summary>One notice, rendered, on its way to a webhook: the same body and key on every attempt.</summary>
/// <param name="NoticeId">The idempotency key (<c>Idempotency-Key</c>, <c>proctor.noticeId</c>).</param>
/// <param name="Kind">The notice's kind, for the <c>X-Proctor-Event</c> header and the log.</param>
/// <param name="SubjectId">The approval, grant or review id, for the log.</param>
/// <param name="Body">The exact bytes sent and signed.</param>
internal sealed record WebhookDelivery(string NoticeId, string Kind, string SubjectId, byte[] Body);
