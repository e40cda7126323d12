using System.Diagnostics;

namespace Proctor.Bench.Load;

/// <summary>One measured concurrency level of one target.</summary>
internal sealed record LevelResult(
    string Target,
    string Upstream,
    int Concurrency,
    int Requests,
    int Errors,
    double Seconds,
    double P50Ms,
    double P99Ms,
    double MeanMs,
    long PeakRssAll,
    long PeakRssGateway,
    string? FirstError)
{
    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    public int Round { get; init; } = 1;

    /// <summary>The tail past p99: a stall of every call in flight (a slow disk flush, a GC pause) shows here first.</summary>
    public double P999Ms { get; init; } = double.NaN;

    public double MaxMs { get; init; } = double.NaN;

    public CallCost Cost { get; init; }

    /// <summary>Lowest and highest req/s and p50 over the rounds a median row was made of.</summary>
    public (double Min, double Max, double P50Min, double P50Max, int Rounds) Spread { get; init; }
}

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each send a call, wait for its answer and send the
/// next. A level ends at whichever comes first of its request count and its duration; a call still
/// unanswered <c>requestTimeout</c> after that is abandoned and counted as an error.
/// </summary>
internal static class LoadRunner
{
    /// <param name="pause">Each worker's wait between an answer and its next call; spun, because a timer's wait is far coarser.</param>
    public static async Task<LevelResult> RunAsync(RunningTarget target, int concurrency, int maxRequests, TimeSpan duration, TimeSpan requestTimeout, CancellationToken abort, TimeSpan pause = default)
    {
        var pauseTicks = (long)(pause.TotalSeconds * Stopwatch.Frequency);
        var latencies = new long[maxRequests]; // Stopwatch ticks of each successful call
        var completed = 0;
        var errors = 0;
        var issued = 0;
        string? firstError = null;

        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(abort);
        hardStop.CancelAfter(duration + requestTimeout);
        var start = Stopwatch.GetTimestamp();
        var stopIssuingAt = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        async Task WorkerAsync()
        {
            while (!hardStop.IsCancellationRequested
                && Stopwatch.GetTimestamp() < stopIssuingAt
                && Interlocked.Increment(ref issued) <= maxRequests)
            {
                var sent = Stopwatch.GetTimestamp();
                string? error;
                try
                {
                    error = await target.Client.CallAsync(hardStop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    error = $"{ex.GetType().Name}: {ex.Message}";
                }

                var answered = Stopwatch.GetTimestamp();
                if (error is null)
                {
                    latencies[Interlocked.Increment(ref completed) - 1] = answered - sent;
                }
                else
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, error, null);
                }

                while (Stopwatch.GetTimestamp() - answered < pauseTicks)
                {
                    Thread.SpinWait(20);
                }
            }
        }

        var workers = new Task[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            workers[i] = Task.Run(WorkerAsync);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        abort.ThrowIfCancellationRequested();

        Array.Sort(latencies, 0, completed);
        var ms = 1000.0 / Stopwatch.Frequency;
        double Percentile(double p) => completed == 0 ? double.NaN : latencies[Math.Clamp((int)Math.Ceiling(p / 100 * completed) - 1, 0, completed - 1)] * ms;
        var mean = completed == 0 ? double.NaN : latencies.AsSpan(0, completed).ToArray().Average() * ms;
        return new LevelResult(target.Name, target.Upstream, concurrency, completed, errors, seconds, Percentile(50), Percentile(99), mean, 0, 0, firstError)
        {
            P999Ms = Percentile(99.9),
            MaxMs = Percentile(100),
        };
    }
}
