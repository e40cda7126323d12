using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Proctor.Notifications.Tests.Infrastructure;
using static Proctor.Notifications.Tests.Infrastructure.ScriptedHandler;

namespace Proctor.Notifications.Tests.Delivery;

/// <summary>
/// One notice's attempts: retried after 5xx, 408, 429, network errors and timeouts, with waits on the gateway's clock
/// (a Retry-After honoured); never after another answer; given up after <c>maxAttempts</c>, logged and counted.
/// Every wait is a fake timer the test advances: nothing sleeps.
/// </summary>
public sealed class WebhookSenderTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Deliver_503Then200_DeliveredOnce_WithTheSameKeyAndBody_FreshlySigned()
    {
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.ServiceUnavailable), Status(HttpStatusCode.OK)));
        var delivery = Harness.Delivery();

        var start = harness.Time.GetUtcNow();
        var sending = harness.Sender.DeliverAsync(delivery, CancellationToken.None);
        var wait = await harness.Time.NextTimerAsync(IsBackOff(harness));
        harness.Time.Advance(wait);
        await sending.WaitAsync(Bound);

        var requests = harness.Handler.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, request => Assert.Equal($"\"{delivery.NoticeId}\"", request.Headers["Idempotency-Key"]));
        Assert.All(requests, request => Assert.Equal(delivery.Body, request.Body));
        Assert.Equal(["1", "2"], requests.Select(request => request.Headers["X-Proctor-Attempt"]));
        Assert.Equal((start + wait).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), requests[1].Headers["X-Proctor-Timestamp"]);
        Assert.All(requests, request => Assert.True(Verifies(request), "the signature of each attempt verifies with its own timestamp"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=delivered"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=status_5xx"));
        Assert.Single(harness.Log.With(3101));
        Assert.DoesNotContain(harness.Log.Lines, line => line.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Deliver_Request_IsAJsonPost_ToTheWebhooksUrl_WithTheDocumentedHeaders()
    {
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.NoContent)));

        await harness.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None).WaitAsync(Bound);

        var request = Assert.Single(harness.Handler.Requests);
        Assert.Equal("https://hooks.example.com/proctor", request.Url.AbsoluteUri);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal("approval.requested", request.Headers["X-Proctor-Event"]);
        Assert.Equal(harness.Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Headers["X-Proctor-Timestamp"]);
        Assert.Matches("^v1=[0-9a-f]{64}$", request.Headers["X-Proctor-Signature"]);
        Assert.Equal("Proctor-Notifications/1", request.Headers["User-Agent"]);
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=delivered"));
    }

    public static TheoryData<HttpStatusCode> NotRetried => new()
    {
        HttpStatusCode.BadRequest, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound,
        HttpStatusCode.Gone, HttpStatusCode.UnprocessableEntity, HttpStatusCode.Found, HttpStatusCode.PermanentRedirect,
    };

    [Theory]
    [MemberData(nameof(NotRetried))]
    public async Task Deliver_ClientErrorOrRedirect_IsNotRetried_AndLoggedWithWhatToDo(HttpStatusCode status)
    {
        using var harness = new Harness(new ScriptedHandler(Status(status), Status(HttpStatusCode.OK)));

        await harness.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None).WaitAsync(Bound);

        Assert.Single(harness.Handler.Requests);
        var line = Assert.Single(harness.Log.With(3103));
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains($"HTTP {(int)status}", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.example.com", line.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=rejected"));
        Assert.Equal(0, harness.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=status_5xx"));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(0)]
    public async Task Deliver_429WithRetryAfterSeconds_WaitsExactlyThat_AndSignsTheRetryAfresh(int seconds)
    {
        using var harness = new Harness(new ScriptedHandler(
            Status(HttpStatusCode.TooManyRequests, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds))),
            Status(HttpStatusCode.OK)));

        var sending = harness.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None);
        if (seconds > 0)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), await harness.Time.NextTimerAsync(IsBackOff(harness)));
            harness.Time.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(1));
            Assert.Single(harness.Handler.Requests);
            harness.Time.Advance(TimeSpan.FromMilliseconds(1));
        }

        await sending.WaitAsync(Bound);

        var requests = harness.Handler.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal(seconds, long.Parse(requests[1].Headers["X-Proctor-Timestamp"], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(requests[0].Headers["X-Proctor-Timestamp"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=status_429"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=delivered"));
    }

    [Fact]
    public async Task Deliver_503WithRetryAfterDate_WaitsUntilThen_AndAnHourIsCappedAtFiveMinutes()
    {
        var soon = new ObservedTime().GetUtcNow().AddSeconds(20);
        using var capped = new Harness(new ScriptedHandler(
            Status(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromHours(1))),
            Status(HttpStatusCode.OK)));
        using var dated = new Harness(new ScriptedHandler(
            Status(HttpStatusCode.ServiceUnavailable, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(soon)),
            Status(HttpStatusCode.OK)));

        var first = dated.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(20), await dated.Time.NextTimerAsync(IsBackOff(dated)));
        dated.Time.Advance(TimeSpan.FromSeconds(20));
        await first.WaitAsync(Bound);

        var second = capped.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None);
        Assert.Equal(TimeSpan.FromMinutes(5), await capped.Time.NextTimerAsync(IsBackOff(capped)));
        capped.Time.Advance(TimeSpan.FromMinutes(5));
        await second.WaitAsync(Bound);

        Assert.Equal(2, dated.Handler.Requests.Count);
        Assert.Equal(2, capped.Handler.Requests.Count);
    }

    [Fact]
    public async Task Deliver_AlwaysFailing_GivesUpAfterMaxAttempts_WithGrowingWaits_LoggedAndCounted()
    {
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.BadGateway)));

        var sending = harness.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None);
        var waits = new List<TimeSpan>();
        for (var retry = 1; retry < harness.Webhook.MaxAttempts; retry++)
        {
            waits.Add(await harness.Time.NextTimerAsync(IsBackOff(harness)));
            harness.Time.Advance(waits[^1]);
        }

        await sending.WaitAsync(Bound);

        Assert.Equal(harness.Webhook.MaxAttempts, harness.Handler.Requests.Count);
        Assert.Equal(waits.Order(), waits);
        Assert.True(waits[^1] > waits[0] * 2, $"exponential back-off: {string.Join(", ", waits)}");
        var line = Assert.Single(harness.Log.With(3102));
        Assert.Equal(LogLevel.Error, line.Level);
        Assert.Contains("all 4 attempts failed, the last with HTTP 502", line.Message, StringComparison.Ordinal);
        Assert.Equal(3, harness.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=status_5xx"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=gave_up"));
    }

    [Fact]
    public async Task Deliver_NetworkErrorThenTimeoutThen408_AreRetried_ThenDelivered()
    {
        using var harness = new Harness(new ScriptedHandler(
            Throws(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (hooks.example.com:443)")),
            Hangs(),
            Status(HttpStatusCode.RequestTimeout),
            Status(HttpStatusCode.Accepted)));

        var sending = harness.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None);
        harness.Time.Advance(await harness.Time.NextTimerAsync(IsBackOff(harness)));
        harness.Time.Advance(await harness.Time.NextTimerAsync(due => due == harness.Webhook.Timeout));
        harness.Time.Advance(await harness.Time.NextTimerAsync(IsBackOff(harness)));
        harness.Time.Advance(await harness.Time.NextTimerAsync(IsBackOff(harness)));
        await sending.WaitAsync(Bound);

        Assert.Equal(4, harness.Handler.Requests.Count);
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=network"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=timeout"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.retries", "webhook=ops,reason=status_408"));
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=delivered"));
        Assert.All(harness.Log.Lines, line => Assert.DoesNotContain("hooks.example.com", line.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deliver_NetworkErrorEveryTime_GivesUp_NamingTheErrorKindNotItsMessage()
    {
        using var harness = new Harness(new ScriptedHandler(Throws(new HttpRequestException(HttpRequestError.NameResolutionError, "No such host is known. (hooks.example.com:443)"))), w => w with { MaxAttempts = 1 });

        await harness.Sender.DeliverAsync(Harness.Delivery(), CancellationToken.None).WaitAsync(Bound);

        var line = Assert.Single(harness.Log.With(3102));
        Assert.Contains("a network error (NameResolutionError)", line.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hooks.example.com", line.Message, StringComparison.Ordinal);
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=gave_up"));
    }

    [Fact]
    public async Task Deliver_StoppedDuringABackOff_IsAbandoned_NotRetried()
    {
        using var harness = new Harness(new ScriptedHandler(Status(HttpStatusCode.ServiceUnavailable), Status(HttpStatusCode.OK)));
        using var stopping = new CancellationTokenSource();

        var sending = harness.Sender.DeliverAsync(Harness.Delivery(), stopping.Token);
        await harness.Time.NextTimerAsync(IsBackOff(harness));
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(Bound));
        Assert.Single(harness.Handler.Requests);
        Assert.Equal(1, harness.Metrics.Sum("proctor.notifications.deliveries", "webhook=ops,outcome=abandoned"));
    }

    /// <summary>A back-off wait, not an attempt's own timeout (the harness's webhooks time out after 30 s, longer than any back-off there).</summary>
    private static Func<TimeSpan, bool> IsBackOff(Harness harness) => due => due != harness.Webhook.Timeout;

    /// <summary>What a receiver does: HMAC-SHA256 over the timestamp header, a dot and the raw body; compared in constant time.</summary>
    private static bool Verifies(ScriptedHandler.Received request)
    {
        var signed = Encoding.UTF8.GetBytes(request.Headers["X-Proctor-Timestamp"] + ".").Concat(request.Body).ToArray();
        var expected = Encoding.ASCII.GetBytes("v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Harness.Secret), signed)));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(request.Headers["X-Proctor-Signature"]));
    }
}
