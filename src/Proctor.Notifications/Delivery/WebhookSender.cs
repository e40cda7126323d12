using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using Proctor.Configuration.Models;
using Proctor.Notifications.Signing;

namespace Proctor.Notifications.Delivery;

/// <summary>
/// One webhook's queue and the one loop that sends from it, a notice at a time in the order published, so a slow or
/// failing receiver delays only its own notices. The queue is bounded: when it is full the oldest notice makes way
/// for the newest (a request waiting now matters more than one from long ago, which may have expired; every one of
/// them is in the ledger and in <c>proctor approvals list</c>).
/// </summary>
internal sealed class WebhookSender
{
    /// <summary>
    /// People make these events, so a thousand notices waiting for one receiver means it has been down for long; each
    /// holds one rendered body (about 2 KB), so a full queue holds about 2 MB.
    /// </summary>
    public const int QueueCapacity = 1024;

    private static readonly TimeSpan QueueFullLogInterval = TimeSpan.FromMinutes(1);

    private readonly WebhookSettings _settings;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly NotificationMetrics _metrics;
    private readonly ILogger _logger;
    private readonly byte[] _secret;
    private readonly Uri _url;
    private readonly Channel<WebhookDelivery> _queue;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Lock _dropLock = new();
    private long _droppedSinceLog;
    private DateTimeOffset? _lastDropLog;

    public WebhookSender(WebhookSettings settings, HttpClient http, TimeProvider time, NotificationMetrics metrics, ILogger logger, Func<double>? randomizer = null)
    {
        _settings = settings;
        _http = http;
        _time = time;
        _metrics = metrics;
        _logger = logger;
        _secret = Encoding.UTF8.GetBytes(settings.Secret.Reveal());
        _url = new Uri(settings.Url.Reveal(), UriKind.Absolute);
        _queue = Channel.CreateBounded<WebhookDelivery>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            OnDropped);
        _pipeline = DeliveryPolicy.Build(settings, time, OnRetry, randomizer);
    }

    public string Name => _settings.Name;

    public int Queued => _queue.Reader.Count;

    public bool Accepts(string kind) => _settings.Accepts(kind);

    /// <summary>False once the sender stopped taking notices.</summary>
    public bool TryEnqueue(WebhookDelivery delivery) => _queue.Writer.TryWrite(delivery);

    /// <summary>No more notices: the loop ends once it has sent those waiting.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    /// <summary>Sends until the queue is completed and empty, or <paramref name="stopping"/> is cancelled (then what is left is counted and logged).</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        try
        {
            await foreach (var delivery in _queue.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                await DeliverAsync(delivery, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            var left = 0;
            while (_queue.Reader.TryRead(out _))
            {
                left++;
            }

            if (left > 0)
            {
                _metrics.Dropped(Name, "stopped", left);
                NotificationLog.Undelivered(_logger, Name, left);
            }
        }
    }

    /// <summary>All attempts at one notice; throws only <see cref="OperationCanceledException"/>, when <paramref name="stopping"/> is cancelled.</summary>
    public async Task DeliverAsync(WebhookDelivery delivery, CancellationToken stopping)
    {
        var attempt = 0;
        var context = ResilienceContextPool.Shared.Get(stopping);
        context.Properties.Set(DeliveryPolicy.Delivering, delivery);
        try
        {
            using var response = await _pipeline.ExecuteAsync(
                async (attemptContext, _) =>
                {
                    using var request = Request(delivery, ++attempt);
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attemptContext.CancellationToken).ConfigureAwait(false);
                },
                context,
                0).ConfigureAwait(false);
            Finish(delivery, attempt, response);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Cancelled mid-attempt or mid-wait, whatever the exception says: the gateway is stopping.
            _metrics.Finished(Name, DeliveryOutcomes.Abandoned);
            stopping.ThrowIfCancellationRequested();
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            _metrics.Finished(Name, DeliveryOutcomes.GaveUp);
            NotificationLog.GaveUp(_logger, Name, delivery.Kind, delivery.SubjectId, attempt, Describe(e));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug, not the receiver: the loop must go on with the next notice.
            _metrics.Finished(Name, DeliveryOutcomes.GaveUp);
            NotificationLog.Fault(_logger, Name, delivery.Kind, delivery.SubjectId, e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private void Finish(WebhookDelivery delivery, int attempt, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode)
        {
            _metrics.Finished(Name, DeliveryOutcomes.Delivered);
            NotificationLog.Delivered(_logger, Name, delivery.Kind, delivery.SubjectId, status, attempt);
        }
        else if (DeliveryPolicy.IsTransient(response.StatusCode))
        {
            _metrics.Finished(Name, DeliveryOutcomes.GaveUp);
            NotificationLog.GaveUp(_logger, Name, delivery.Kind, delivery.SubjectId, attempt, $"HTTP {status}");
        }
        else
        {
            _metrics.Finished(Name, DeliveryOutcomes.Rejected);
            NotificationLog.Rejected(_logger, Name, delivery.Kind, delivery.SubjectId, status, NotificationLog.Hint(response.StatusCode));
        }
    }

    /// <summary>A fresh timestamp and signature per attempt (receivers refuse old timestamps); the same body and key.</summary>
    private HttpRequestMessage Request(WebhookDelivery delivery, int attempt)
    {
        var timestamp = WebhookSignature.Timestamp(_time.GetUtcNow());
        var content = new ByteArrayContent(delivery.Body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, _url) { Content = content };
        request.Headers.Add("User-Agent", "Proctor-Notifications/1");
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(_secret, timestamp, delivery.Body));

        // A structured-field string, as draft-ietf-httpapi-idempotency-key-header writes it.
        request.Headers.Add(NoticeHeaders.IdempotencyKey, $"\"{delivery.NoticeId}\"");
        request.Headers.Add(NoticeHeaders.Event, delivery.Kind);
        request.Headers.Add(NoticeHeaders.Attempt, attempt.ToString(CultureInfo.InvariantCulture));
        return request;
    }

    private void OnRetry(WebhookDelivery delivery, int failedAttempt, string reason, TimeSpan delay)
    {
        _metrics.Retried(Name, reason);
        NotificationLog.Retrying(_logger, Name, failedAttempt, _settings.MaxAttempts, delivery.Kind, delivery.SubjectId, reason, delay.TotalSeconds);
    }

    private void OnDropped(WebhookDelivery dropped)
    {
        _metrics.Dropped(Name, "queue_full");
        long count;
        lock (_dropLock)
        {
            _droppedSinceLog++;
            var now = _time.GetUtcNow();
            if (_lastDropLog is { } last && now - last < QueueFullLogInterval)
            {
                return;
            }

            (count, _droppedSinceLog, _lastDropLog) = (_droppedSinceLog, 0, now);
        }

        NotificationLog.QueueFull(_logger, Name, QueueCapacity, count);
    }

    private static string Describe(Exception e) => e switch
    {
        TimeoutRejectedException => "a timeout (no answer within the webhook's timeout)",
        HttpRequestException { HttpRequestError: var error } => $"a network error ({error})",
        _ => e.GetType().Name,
    };
}

/// <summary>Headers of a notice besides the signature's (docs/notifications.md).</summary>
internal static class NoticeHeaders
{
    public const string IdempotencyKey = "Idempotency-Key";

    public const string Event = "X-Proctor-Event";

    public const string Attempt = "X-Proctor-Attempt";
}
