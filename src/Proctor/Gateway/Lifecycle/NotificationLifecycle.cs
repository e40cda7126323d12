using Microsoft.Extensions.Hosting;
using Proctor.Notifications.Delivery;

namespace Proctor.Gateway.Lifecycle;

/// <summary>Starts the webhook senders with the gateway; at stop, gives the notices still queued a short grace to leave.</summary>
internal sealed class NotificationLifecycle(WebhookNotifier notifier) : IHostedService
{
    /// <summary>
    /// Long enough for a receiver that answers promptly to take what is queued; not long enough to wait out a
    /// back-off (up to a minute) or a receiver's Retry-After, which would hold the stop for a courtesy: every event is
    /// in the ledger, and what is left is logged (3106) and counted.
    /// </summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        notifier.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => notifier.StopAsync(StopGrace);
}
