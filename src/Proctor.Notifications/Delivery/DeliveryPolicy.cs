using System.Net;
using System.Net.Http;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Proctor.Configuration.Models;

namespace Proctor.Notifications.Delivery;

/// <summary>
/// When an attempt is repeated and after how long (Polly, on the gateway's <see cref="TimeProvider"/>): after a
/// network failure, a timeout, 408, 429 or any 5xx; never after another answer, which a retry cannot change. The wait
/// grows exponentially from <see cref="FirstDelay"/> with jitter (so that receivers coming back are not hit by every
/// gateway at once), capped at <see cref="MaxDelay"/>; a <c>Retry-After</c> on the answer replaces it, up to
/// <see cref="MaxRetryAfter"/>. Each attempt is bounded by the webhook's <c>timeout</c>.
/// </summary>
internal static class DeliveryPolicy
{
    /// <summary>A receiver that blinked (a deploy, a dropped connection) is usually back within a second or two.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);

    /// <summary>With the default 8 attempts the waits add up to about two minutes (1, 2, 4 … 60 s, jittered) before a notice is given up.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>A receiver may ask for a longer pause than the back-off would take, but not hold a notice (and its queue) for longer than this.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(5);

    /// <summary>The notice an execution sends, in its <see cref="ResilienceContext"/>, for <c>onRetry</c>.</summary>
    public static readonly ResiliencePropertyKey<WebhookDelivery> Delivering = new("proctor.delivery");

    /// <param name="onRetry">Told each repeated attempt: the notice (<see cref="Delivering"/>), the 1-based number of the attempt that failed, why, and the wait before the next.</param>
    /// <param name="randomizer">Jitter's source of numbers in [0, 1) (tests fix it); Polly's own when null.</param>
    public static ResiliencePipeline<HttpResponseMessage> Build(WebhookSettings webhook, TimeProvider time, Action<WebhookDelivery, int, string, TimeSpan> onRetry, Func<double>? randomizer = null)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        if (webhook.MaxAttempts > 1)
        {
            var retry = new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = webhook.MaxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = FirstDelay,
                MaxDelay = MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome, time)),
                OnRetry = args =>
                {
                    onRetry(args.Context.Properties.GetValue(Delivering, null!), args.AttemptNumber + 1, Reason(args.Outcome), args.RetryDelay);
                    return default;
                },
            };
            if (randomizer is not null)
            {
                retry.Randomizer = randomizer;
            }

            builder.AddRetry(retry);
        }

        return builder.AddTimeout(webhook.Timeout).Build();
    }

    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Why an attempt failed, as the <c>reason</c> tag and log text: a closed set, whatever the receiver answers.</summary>
    public static string Reason(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: TimeoutRejectedException } => "timeout",
        { Exception: HttpRequestException } => "network",
        { Result.StatusCode: HttpStatusCode.RequestTimeout } => "status_408",
        { Result.StatusCode: HttpStatusCode.TooManyRequests } => "status_429",
        { Result.StatusCode: var status } when (int)status >= 500 => "status_5xx",
        _ => "other",
    };

    /// <summary>The receiver's <c>Retry-After</c> (seconds or a date, RFC 9110 §10.2.3), capped; null without one.</summary>
    private static TimeSpan? RetryAfter(Outcome<HttpResponseMessage> outcome, TimeProvider time)
    {
        var header = outcome.Result?.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - time.GetUtcNow() : null);
        return wait is { } value ? TimeSpan.FromTicks(Math.Clamp(value.Ticks, 0, MaxRetryAfter.Ticks)) : null;
    }
}
