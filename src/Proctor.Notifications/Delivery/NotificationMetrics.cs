using System.Diagnostics.Metrics;

namespace Proctor.Notifications.Delivery;

/// <summary>
/// Metrics of notice delivery (the host exports them on <c>/metrics</c> beside the gateway's). Tag values come from
/// configuration (webhook names) or from the closed sets below, never from a notice or a receiver's answer.
/// </summary>
internal sealed class NotificationMetrics
{
    public const string MeterName = "Proctor.Notifications";

    private readonly Meter _meter;
    private readonly Counter<long> _deliveries;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _dropped;

    /// <param name="tags">Tags on the meter: only for hosting several gateways in one process (the host's meter tags).</param>
    public NotificationMetrics(IMeterFactory meters, IEnumerable<KeyValuePair<string, object?>>? tags = null)
    {
        var list = tags?.ToList();
        _meter = meters.Create(new MeterOptions(MeterName) { Tags = list is { Count: > 0 } ? list : null });
        _deliveries = _meter.CreateCounter<long>("proctor.notifications.deliveries", "{notice}", "Notices a webhook's sender finished with, by webhook and outcome (delivered, rejected, gave_up, abandoned).");
        _retries = _meter.CreateCounter<long>("proctor.notifications.retries", "{retry}", "Attempts repeated after a transient failure, by webhook and reason (status_408, status_429, status_5xx, network, timeout).");
        _dropped = _meter.CreateCounter<long>("proctor.notifications.dropped", "{notice}", "Notices never attempted, by webhook and reason (queue_full: the oldest made way; stopped: the gateway stopped first).");
    }

    public void Finished(string webhook, string outcome) => _deliveries.Add(1, Tags(webhook, "outcome", outcome));

    public void Retried(string webhook, string reason) => _retries.Add(1, Tags(webhook, "reason", reason));

    public void Dropped(string webhook, string reason, int count = 1) => _dropped.Add(count, Tags(webhook, "reason", reason));

    /// <summary>Reports each webhook's queue length, read at each scrape.</summary>
    public void ObserveQueues(Func<IEnumerable<(string Webhook, int Queued)>> queues) =>
        _meter.CreateObservableGauge(
            "proctor.notifications.queued",
            () => queues().Select(q => new Measurement<int>(q.Queued, new KeyValuePair<string, object?>("webhook", q.Webhook))),
            "{notice}",
            "Notices waiting for their webhook's sender.");

    private static KeyValuePair<string, object?>[] Tags(string webhook, string name, string value) =>
        [new("webhook", webhook), new(name, value)];
}

/// <summary>How a webhook's sender finished with a notice (the <c>outcome</c> tag).</summary>
internal static class DeliveryOutcomes
{
    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>The receiver answered with a status that retrying cannot change (4xx other than 408 and 429, or 3xx).</summary>
    public const string Rejected = "rejected";

    /// <summary>Every attempt failed transiently (5xx, 408, 429, network, timeout).</summary>
    public const string GaveUp = "gave_up";

    /// <summary>The gateway stopped while the notice was being sent or waited for its next attempt.</summary>
    public const string Abandoned = "abandoned";
}
