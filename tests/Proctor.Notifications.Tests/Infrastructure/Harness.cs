using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Masking;
using Proctor.Masking.Policy;
using Proctor.Notifications.Delivery;
using Proctor.Notifications.Notices;

namespace Proctor.Notifications.Tests.Infrastructure;

/// <summary>A notifier with its clock, receiver, log and metrics all in the test's hands.</summary>
internal sealed class Harness : IDisposable
{
    public const string Secret = "3f1c9a7e5b2d4f60a8c1e3b5d7f9a2c4";

    public const string PublicUrl = "https://proctor.bank.example";

    /// <summary>Jitter fixed at its middle, so waits are repeatable.</summary>
    public static readonly Func<double> HalfRandom = () => 0.5;

    /// <summary>The engine as a gateway without a <c>masking:</c> section builds it.</summary>
    public static readonly MaskingEngine Masking = MaskingEngine.Create(new MaskingPolicy(), Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public Harness(ScriptedHandler handler, Func<WebhookSettings, WebhookSettings>? shape = null, params WebhookSettings[] more)
    {
        Handler = handler;
        Webhook = (shape ?? (w => w))(Hook("ops"));
        Notifier = new WebhookNotifier(
            new NotificationSettings { PublicUrl = new Uri(PublicUrl), Webhooks = [Webhook, .. more] },
            Masking, new HttpClient(handler), Time, Log, new NotificationMetrics(Metrics), HalfRandom);
        Sender = new WebhookSender(Webhook, new HttpClient(handler), Time, new NotificationMetrics(Metrics), Log, HalfRandom);
    }

    public ObservedTime Time { get; } = new();

    public ListLogger Log { get; } = new();

    public MetricRecorder Metrics { get; } = new();

    public ScriptedHandler Handler { get; }

    public WebhookSettings Webhook { get; }

    public WebhookNotifier Notifier { get; }

    /// <summary>A sender for <see cref="Webhook"/> alone, to drive one delivery without the notifier's loop.</summary>
    public WebhookSender Sender { get; }

    public static WebhookSettings Hook(string name, string url = "https://hooks.example.com/proctor", params string[] events) => new()
    {
        Name = name,
        Url = new SecretValue("${env:HOOK_URL}", url),
        Secret = new SecretValue("${env:HOOK_SECRET}", Secret),
        Events = events,
        Timeout = TimeSpan.FromSeconds(30),
        MaxAttempts = 4,
    };

    public static GatewayNotice Notice(string kind = NoticeKinds.ApprovalRequested, string summary = "transfer_funds: 25000 USD to account ****6789", string id = "apr_7f3k2") =>
        new(kind, id, new DateTimeOffset(2026, 7, 28, 8, 59, 30, 250, TimeSpan.Zero), "alice@bank.example", "bank", "transfer_funds", summary, "transfers-over-10k", $"/api/approvals/{id}");

    /// <summary>A delivery as the notifier renders it, for driving <see cref="Sender"/>.</summary>
    public static WebhookDelivery Delivery(GatewayNotice? notice = null)
    {
        notice ??= Notice();
        var id = NoticeIdentity.Key(notice);
        return new WebhookDelivery(id, notice.Kind, notice.Id, Proctor.Notifications.Payloads.NoticePayload.Render(notice, id, notice.Summary, new Uri(PublicUrl + notice.ActPath)));
    }

    public void Dispose() => Metrics.Dispose();
}
