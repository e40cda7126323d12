using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Masking;
using Proctor.Notifications.Delivery;
using Proctor.Notifications.Notices;

namespace Proctor.Cli;

/// <summary>
/// Webhook notices of what a CLI verb decided. The gateway publishes what happens inside it; a decision taken here is
/// recorded by this process, perhaps while no gateway runs, so this process sends its notice once the ledger has the
/// event, and waits a bounded time for delivery before the command ends. A notice is a courtesy: when the
/// configuration's webhooks cannot be read or a receiver is down, the command says so and the decision stands.
/// </summary>
internal sealed class CliNotices : INoticeSink, IAsyncDisposable
{
    /// <summary>A person waits for the prompt: a few attempts at a slow receiver, not the gateway's hours of retries.</summary>
    private static readonly TimeSpan DeliveryGrace = TimeSpan.FromSeconds(10);

    private readonly WebhookNotifier? _notifier;
    private readonly ServiceProvider? _meters;
    private readonly ILoggerFactory? _loggers;

    private CliNotices(WebhookNotifier? notifier, ServiceProvider? meters, ILoggerFactory? loggers)
    {
        _notifier = notifier;
        _meters = meters;
        _loggers = loggers;
    }

    /// <summary>The configured webhooks, started; none (after a warning saying why) when the section cannot be read.</summary>
    /// <param name="masking">Masks each summary once more before it leaves, as the gateway's notifier does.</param>
    public static CliNotices Open(FileInfo config, MaskingEngine masking)
    {
        var (settings, errors) = ConfigurationLoader.LoadNotifications(config.FullName, GatewayData.ProcessEnvironment());
        if (settings is null)
        {
            Console.Error.WriteLine($"warning: the notifications section of {config.Name} cannot be read, so no webhook is told of this decision (the ledger records it either way):");
            foreach (var error in errors)
            {
                Console.Error.WriteLine($"  {error}");
            }

            return new CliNotices(null, null, null);
        }

        if (settings.Webhooks.Count == 0)
        {
            return new CliNotices(null, null, null);
        }

        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var loggers = LoggerFactory.Create(logging => logging
            .SetMinimumLevel(LogLevel.Information)
            .AddSimpleConsole(o => o.SingleLine = true)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace));
        var notifier = new WebhookNotifier(settings, masking, WebhookNotifier.CreateHttpClient(), TimeProvider.System, loggers, new NotificationMetrics(meters.GetRequiredService<IMeterFactory>()));
        notifier.Start();
        return new CliNotices(notifier, meters, loggers);
    }

    public void Publish(GatewayNotice notice) => _notifier?.Publish(notice);

    /// <summary>Sends what was published, for up to <see cref="DeliveryGrace"/>; what is left then is logged as undelivered.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_notifier is not null)
        {
            await _notifier.StopAsync(DeliveryGrace).ConfigureAwait(false);
            _notifier.Dispose();
        }

        _loggers?.Dispose();
        if (_meters is not null)
        {
            await _meters.DisposeAsync().ConfigureAwait(false);
        }
    }
}
