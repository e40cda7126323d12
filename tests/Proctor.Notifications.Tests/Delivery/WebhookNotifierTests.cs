using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Notifications.Delivery;
using Proctor.Notifications.Tests.Infrastructure;
using static Proctor.Notifications.Tests.Infrastructure.ScriptedHandler;

namespace Proctor.Notifications.Tests.Delivery;

/// <summary>Publishing: each webhook gets the kinds it asked for, from a bounded queue that drops its oldest when full; a stop sends what it can within its grace.</summary>
public sealed class WebhookNotifierTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Publish_EachWebhook_GetsOnlyTheKindsItsEventsSelect_Masked()
    {
        var approvals = Harness.Hook("approvals", "https://approvals.example.com/hook", "approval.*");
        var breakGlass = Harness.Hook("security", "https://security.example.com/hook", "breakglass.opened", "review.*");
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.OK)), null, approvals, breakGlass);
        harness.Notifier.Start();

        harness.Notifier.Publish(Harness.Notice(NoticeKinds.ApprovalRequested, summary: "pay SSN 219-09-9999", id: "apr_1"));
        harness.Notifier.Publish(Harness.Notice(NoticeKinds.GrantRequested, id: "grt_1"));
        harness.Notifier.Publish(Harness.Notice(NoticeKinds.BreakGlassOpened, id: "bg_1"));
        await harness.Notifier.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        var received = harness.Handler.Requests.GroupBy(r => r.Url.Host).ToDictionary(g => g.Key, g => g.Select(r => r.Headers["X-Proctor-Event"]).Order().ToList());
        Assert.Equal(["approval.requested", "breakglass.opened", "grant.requested"], received["hooks.example.com"]);
        Assert.Equal(["approval.requested"], received["approvals.example.com"]);
        Assert.Equal(["breakglass.opened"], received["security.example.com"]);
        Assert.All(harness.Handler.Requests, r => Assert.DoesNotContain("219-09", Encoding.UTF8.GetString(r.Body), StringComparison.Ordinal));
        Assert.Equal(3, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=delivered"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=approvals,outcome=delivered"));
    }

    [Fact]
    public async Task Publish_QueueFull_DropsTheOldest_CountsEach_AndWarnsOnce()
    {
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.OK)));
        const int Extra = 3;

        // Not started: nothing leaves the queue while it fills.
        for (var i = 0; i < WebhookSender.QueueCapacity + Extra; i++)
        {
            harness.Notifier.Publish(Harness.Notice(id: $"apr_{i}"));
        }

        Assert.Equal(Extra, harness.Metrics.Sum("proctor.notifications.dropped", "webhook=ops,reason=queue_full"));
        var warning = Assert.Single(harness.Log.With(3104));
        Assert.Equal(LogLevel.Warning, warning.Level);

        harness.Notifier.Start();
        await harness.Notifier.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        var ids = harness.Handler.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("proctor").GetProperty("id").GetString()).ToList();
        Assert.Equal(WebhookSender.QueueCapacity, ids.Count);
        Assert.Equal($"apr_{Extra}", ids[0]);
        Assert.Equal($"apr_{WebhookSender.QueueCapacity + Extra - 1}", ids[^1]);
    }

    [Fact]
    public async Task Stop_WhileANoticeWaitsToBeRetried_GivesUpAfterTheGrace_CountingWhatIsLeft()
    {
        using var harness = new Harness(new ScriptedHandler(
            Status(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(60)))));
        harness.Notifier.Start();
        for (var i = 0; i < 3; i++)
        {
            harness.Notifier.Publish(Harness.Notice(id: $"apr_{i}"));
        }

        Assert.Equal(TimeSpan.FromSeconds(60), await harness.Time.NextTimerAsync(due => due == TimeSpan.FromSeconds(60)));
        var stopping = harness.Notifier.StopAsync(TimeSpan.FromSeconds(5));
        harness.Time.Advance(await harness.Time.NextTimerAsync(due => due == TimeSpan.FromSeconds(5)));
        await stopping.WaitAsync(Bound);

        Assert.Single(harness.Handler.Requests);
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=abandoned"));
        Assert.Equal(2, harness.Metrics.Sum("proctor.notifications.dropped", "webhook=ops,reason=stopped"));
        Assert.Contains("2 notices were not delivered", Assert.Single(harness.Log.With(3106)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_AfterStop_IsCounted_NotSent()
    {
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.OK)));
        harness.Notifier.Start();
        await harness.Notifier.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        harness.Notifier.Publish(Harness.Notice());

        Assert.Empty(harness.Handler.Requests);
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.dropped", "webhook=ops,reason=stopped"));
    }

    [Fact]
    public void Publish_Malformed_ThrowsToTheCaller_AndQueuesNothing()
    {
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.OK)));

        Assert.Throws<ArgumentException>(() => harness.Notifier.Publish(Harness.Notice() with { Kind = "approval.granted" }));
        Assert.Throws<ArgumentException>(() => harness.Notifier.Publish(Harness.Notice() with { ActPath = "//evil.example/x" }));
        Assert.Equal(0, harness.Metrics.Sum("proctor.notifications.dropped", "webhook=ops,reason=queue_full"));
    }

    [Fact]
    public void Create_WebhooksWithoutPublicUrl_IsRefused()
    {
        using var metrics = new MetricRecorder();

        Assert.Throws<ArgumentException>(() => new WebhookNotifier(new NotificationSettings { Webhooks = [Harness.Hook("ops")] }, Harness.Masking, new HttpClient(), new ObservedTime(), new ListLogger(), new NotificationMetrics(metrics)));
    }
}
