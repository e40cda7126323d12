using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Masking;
using Proctor.Notifications.Notices;
using Proctor.Notifications.Payloads;

namespace Proctor.Notifications.Delivery;

/// <summary>
/// The gateway's <see cref="INoticeSink"/>: masks and renders a notice once, on the publisher's thread (no I/O), and
/// hands it to the sender of every webhook that wants its kind. The host starts the senders with the gateway and
/// stops them, with a grace period, before the ledger closes.
/// </summary>
internal sealed class WebhookNotifier : INoticeSink, IDisposable
{
    private readonly WebhookSender[] _senders;
    private readonly SummaryMasker _masker;
    private readonly NoticeLinks? _links;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly NotificationMetrics _metrics;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stopping = new();
    private Task[] _running = [];

    /// <param name="http">Sends to every receiver (see <see cref="CreateHttpClient"/>); the notifier disposes it.</param>
    /// <param name="randomizer">Back-off jitter's numbers in [0, 1) (tests fix it); Polly's own when null.</param>
    public WebhookNotifier(NotificationSettings settings, MaskingEngine masking, HttpClient http, TimeProvider time, ILoggerFactory loggers, NotificationMetrics metrics, Func<double>? randomizer = null)
    {
        if (settings.Webhooks.Count > 0 && settings.PublicUrl is null)
        {
            throw new ArgumentException("notifications.publicUrl is required once a webhook is configured: notices link to it.", nameof(settings));
        }

        _logger = loggers.CreateLogger("Proctor.Notifications");
        _time = time;
        _http = http;
        _metrics = metrics;
        _masker = new SummaryMasker(masking);
        _links = settings.PublicUrl is { } publicUrl ? new NoticeLinks(publicUrl) : null;
        _senders = [.. settings.Webhooks.Select(webhook => new WebhookSender(webhook, http, time, metrics, _logger, randomizer))];
        metrics.ObserveQueues(() => _senders.Select(sender => (sender.Name, sender.Queued)));
    }

    /// <summary>
    /// The client for receivers: redirects are not followed (the notice and its signature would go to an address
    /// nobody configured), no cookies, and no client-wide timeout (each attempt has the webhook's own).
    /// </summary>
    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public void Publish(GatewayNotice notice)
    {
        NoticeValidation.Check(notice);
        WebhookDelivery? delivery = null;
        foreach (var sender in _senders)
        {
            if (!sender.Accepts(notice.Kind))
            {
                continue;
            }

            delivery ??= Render(notice);
            if (!sender.TryEnqueue(delivery))
            {
                _metrics.Dropped(sender.Name, "stopped");
                NotificationLog.AfterStop(_logger, sender.Name, notice.Kind, notice.Id);
            }
        }
    }

    /// <summary>Starts one sending loop per webhook; notices published before wait in their queues.</summary>
    public void Start()
    {
        if (_running.Length > 0)
        {
            throw new InvalidOperationException("The notifier is started already; the host starts it once.");
        }

        _running = [.. _senders.Select(sender => Task.Run(() => sender.RunAsync(_stopping.Token)))];
    }

    /// <summary>
    /// Takes no more notices, lets the senders send what waits for up to <paramref name="grace"/> (on the gateway's
    /// clock), then cancels them: what is still waiting then is counted and logged as undelivered.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        foreach (var sender in _senders)
        {
            sender.Complete();
        }

        var all = Task.WhenAll(_running);
        try
        {
            await all.WaitAsync(grace, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _http.Dispose();
    }

    /// <summary>Masks, links and renders a notice: what every webhook that wants it is sent.</summary>
    internal WebhookDelivery Render(GatewayNotice notice)
    {
        var summary = _masker.Mask(notice, out var withheld);
        if (withheld)
        {
            NotificationLog.SummaryWithheld(_logger, notice.Kind, notice.Id);
        }

        var noticeId = NoticeIdentity.Key(notice);
        var link = _links!.For(notice.ActPath);
        return new WebhookDelivery(noticeId, notice.Kind, notice.Id, NoticePayload.Render(notice, noticeId, summary, link));
    }
}
