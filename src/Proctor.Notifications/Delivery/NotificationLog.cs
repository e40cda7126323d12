using System.Net;
using Microsoft.Extensions.Logging;

namespace Proctor.Notifications.Delivery;

/// <summary>
/// Log lines of notice delivery, event ids 3100–3149 (docs/reason-codes.md). A webhook is named by its configured
/// name, never its URL (which may be a credential); a notice by its kind and id; a network failure by its kind
/// (<see cref="HttpRequestError"/>), never its message, which can quote the address.
/// </summary>
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Webhook {Webhook}: {Kind} {Id} delivered (HTTP {Status}, attempt {Attempt}).")]
    public static partial void Delivered(ILogger logger, string webhook, string kind, string id, int status, int attempt);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Webhook {Webhook}: attempt {Attempt} of {MaxAttempts} for {Kind} {Id} failed ({Reason}); trying again in {DelaySeconds:0.#} s.")]
    public static partial void Retrying(ILogger logger, string webhook, int attempt, int maxAttempts, string kind, string id, string reason, double delaySeconds);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Error, Message = "Webhook {Webhook}: {Kind} {Id} was not delivered: all {Attempts} attempts failed, the last with {Reason}. Check that the receiver is up and reachable from the gateway; the event itself is in the ledger and in proctor approvals list.")]
    public static partial void GaveUp(ILogger logger, string webhook, string kind, string id, int attempts, string reason);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Error, Message = "Webhook {Webhook}: the receiver refused {Kind} {Id} with HTTP {Status}, which is not retried. {Hint}")]
    public static partial void Rejected(ILogger logger, string webhook, string kind, string id, int status, string hint);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "Webhook {Webhook}: its queue of {Capacity} notices is full, so the oldest were dropped ({Dropped} since the last warning). The receiver is slower than the notices arrive, or down; see proctor.notifications.dropped.")]
    public static partial void QueueFull(ILogger logger, string webhook, int capacity, long dropped);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "The summary of {Kind} {Id} could not be masked, so the notice carries none; the event is unaffected.")]
    public static partial void SummaryWithheld(ILogger logger, string kind, string id);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Warning, Message = "Webhook {Webhook}: {Count} notices were not delivered because sending stopped first (the gateway stopped, or the proctor command that published them ended); the events are in the ledger.")]
    public static partial void Undelivered(ILogger logger, string webhook, int count);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Debug, Message = "Webhook {Webhook}: {Kind} {Id} was published after the notifier stopped; not sent.")]
    public static partial void AfterStop(ILogger logger, string webhook, string kind, string id);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Error, Message = "Webhook {Webhook}: sending {Kind} {Id} failed unexpectedly; the sender goes on with the next notice.")]
    public static partial void Fault(ILogger logger, string webhook, string kind, string id, Exception exception);

    /// <summary>What to do about a status that is not retried, for the 3 a.m. reader.</summary>
    public static string Hint(HttpStatusCode status) => (int)status switch
    {
        401 or 403 => "The receiver did not accept the signature or the URL's credentials: check that its secret matches this webhook's secret, and the url.",
        404 or 410 => "The receiver does not know this address: check the webhook's url (a Slack webhook URL is invalidated when its app or channel is removed).",
        >= 300 and < 400 => "The receiver answered with a redirect, which is not followed (the notice and its signature would go to another address): set url to the final address.",
        _ => "Check the receiver's logs for why it refused the notice.",
    };
}
