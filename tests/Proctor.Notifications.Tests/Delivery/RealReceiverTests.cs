using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Notifications.Delivery;
using Proctor.Notifications.Tests.Infrastructure;

namespace Proctor.Notifications.Tests.Delivery;

/// <summary>
/// The notifier against a real receiver over HTTP on 127.0.0.1, with the client the host uses: the receiver checks
/// every signature as the documentation says, fails the first attempts, and still takes the notice exactly once.
/// Hard negatives beside it: a changed body, another secret, a replayed timestamp, a redirect.
/// </summary>
public sealed class RealReceiverTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Publish_ReceiverFailsTwice_VerifiesEveryAttempt_AndTakesTheNoticeOnce()
    {
        await using var receiver = await SigningReceiver.StartAsync(Harness.Secret, failFirst: 2);
        using var setup = Setup(receiver.Url, Harness.Secret);
        setup.Notifier.Start();

        setup.Notifier.Publish(Harness.Notice(summary: "transfer for SSN 219-09-9999"));
        for (var retry = 0; retry < 2; retry++)
        {
            setup.Time.Advance(await setup.Time.NextTimerAsync(due => due != TimeSpan.FromSeconds(30)));
        }

        await setup.Notifier.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        var attempts = receiver.Attempts.ToList();
        Assert.Equal([503, 503, 200], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Headers["Idempotency-Key"]).Distinct());
        var body = JsonDocument.Parse(Assert.Single(receiver.Accepted)).RootElement;
        Assert.Equal("approval.requested", body.GetProperty("proctor").GetProperty("kind").GetString());
        Assert.Equal("https://proctor.bank.example/api/approvals/apr_7f3k2", body.GetProperty("blocks")[2].GetProperty("elements")[0].GetProperty("url").GetString());
        Assert.DoesNotContain("219-09", Encoding.UTF8.GetString(attempts[^1].Body), StringComparison.Ordinal);
        Assert.Equal(1, setup.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=delivered"));
        Assert.Equal(2, setup.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=status_5xx"));
    }

    [Fact]
    public async Task Receiver_ChangedBodyOrTimestamp_Refused_SameNoticeAgain_TakenOnce()
    {
        await using var receiver = await SigningReceiver.StartAsync(Harness.Secret);
        using var setup = Setup(receiver.Url, Harness.Secret);
        setup.Notifier.Start();
        setup.Notifier.Publish(Harness.Notice());
        await setup.Notifier.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(Bound);
        var (headers, body, _) = Assert.Single(receiver.Attempts);
        using var raw = new HttpClient();

        var tampered = body.ToArray();
        tampered[Array.IndexOf(tampered, (byte)'7')] = (byte)'8';
        Assert.Equal(HttpStatusCode.Unauthorized, await Replay(raw, receiver, headers, tampered));
        Assert.Equal(HttpStatusCode.Unauthorized, await Replay(raw, receiver, headers, body, timestamp: (long.Parse(headers["X-Proctor-Timestamp"], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.OK, await Replay(raw, receiver, headers, body));

        Assert.Single(receiver.Accepted);
        Assert.False(receiver.Verifies(headers["X-Proctor-Timestamp"], headers["X-Proctor-Signature"], body, DateTimeOffset.UtcNow.AddMinutes(6)), "a captured notice replayed later is refused");
    }

    [Fact]
    public async Task Publish_AnotherSecret_ReceiverRefuses_NotRetried_LoggedWithTheFix()
    {
        await using var receiver = await SigningReceiver.StartAsync(Harness.Secret);
        using var setup = Setup(receiver.Url, "ffffffffffffffffffffffffffffffff");
        setup.Notifier.Start();

        setup.Notifier.Publish(Harness.Notice());
        await setup.Notifier.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        Assert.Equal(401, Assert.Single(receiver.Attempts).Status);
        Assert.Empty(receiver.Accepted);
        Assert.Contains("check that its secret matches this webhook's secret", Assert.Single(setup.Log.With(3103)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_ReceiverRedirects_NotFollowed()
    {
        await using var receiver = await SigningReceiver.StartAsync(Harness.Secret);
        using var setup = Setup(new Uri(receiver.Address + "/moved"), Harness.Secret);
        setup.Notifier.Start();

        setup.Notifier.Publish(Harness.Notice());
        await setup.Notifier.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(Bound);

        Assert.Empty(receiver.Attempts);
        Assert.Contains("HTTP 307", Assert.Single(setup.Log.With(3103)).Message, StringComparison.Ordinal);
    }

    private static Setup Setup(Uri url, string secret)
    {
        var webhook = Harness.Hook("ops") with { Url = new SecretValue("${env:HOOK_URL}", url.AbsoluteUri), Secret = new SecretValue("${env:HOOK_SECRET}", secret) };

        // The receiver checks timestamps against the real clock: the fake one starts there.
        return new Setup(webhook, new ObservedTime(DateTimeOffset.UtcNow));
    }

    private static async Task<HttpStatusCode> Replay(HttpClient client, SigningReceiver receiver, IReadOnlyDictionary<string, string> headers, byte[] body, string? timestamp = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Proctor-Timestamp", timestamp ?? headers["X-Proctor-Timestamp"]);
        request.Headers.Add("X-Proctor-Signature", headers["X-Proctor-Signature"]);
        request.Headers.Add("Idempotency-Key", headers["Idempotency-Key"]);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

/// <summary>A notifier on the host's own HTTP client (<see cref="WebhookNotifier.CreateHttpClient"/>), for one webhook.</summary>
internal sealed class Setup : IDisposable
{
    public Setup(WebhookSettings webhook, ObservedTime time)
    {
        Time = time;
        Notifier = new WebhookNotifier(new NotificationSettings { PublicUrl = new Uri(Harness.PublicUrl), Webhooks = [webhook] }, Harness.Masking,
            WebhookNotifier.CreateHttpClient(), time, Log, new NotificationMetrics(Metrics), Harness.HalfRandom);
    }

    public ObservedTime Time { get; }

    public ListLogger Log { get; } = new();

    public MetricRecorder Metrics { get; } = new();

    public WebhookNotifier Notifier { get; }

    public void Dispose() => Metrics.Dispose();
}
