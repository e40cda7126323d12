using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Http.Lifecycle;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// The first step of every shutdown, before the web server or anything else stops (the host runs all
/// <see cref="IHostedLifecycleService.StoppingAsync"/> first): stop accepting (<c>/readyz</c> 503, new requests 503,
/// streams ended), let the calls in flight finish within <c>gateway.shutdownTimeout</c>, then cancel the rest, which
/// the pipeline records as cancelled, and give them <see cref="UnwindWithin"/> to write that record and their answer.
/// </summary>
internal sealed partial class DrainLifecycle(GatewayDrain drain, GatewayModel model, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<DrainLifecycle> logger)
    : IHostedLifecycleService
{
    /// <summary>
    /// A cancelled call commits its cancellation (one group-committed append, 1.5–1.8 ms at p50 under load,
    /// docs/PERFORMANCE.md) and sends the upstream notifications/cancelled; two seconds is ample and bounds a stuck one.
    /// </summary>
    public static readonly TimeSpan UnwindWithin = TimeSpan.FromSeconds(2);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // SIGTERM stops the application before the host's stop sequence runs: readiness must turn at that moment.
        lifetime.ApplicationStopping.Register(drain.Begin);
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        drain.Begin();
        var started = time.GetTimestamp();
        Log.Draining(logger, drain.InFlight, model.Gateway.ShutdownTimeout.TotalSeconds);
        var left = await drain.WaitForIdleAsync(model.Gateway.ShutdownTimeout, time).ConfigureAwait(false);
        if (left > 0)
        {
            Log.Cancelling(logger, left, model.Gateway.ShutdownTimeout.TotalSeconds);
            drain.CancelCalls();
            left = await drain.WaitForIdleAsync(UnwindWithin, time).ConfigureAwait(false);
        }

        Log.Drained(logger, time.GetElapsedTime(started).TotalMilliseconds, left);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 2400, Level = LogLevel.Information, Message = "Shutting down: not ready, refusing new requests; waiting up to {Seconds} s (gateway.shutdownTimeout) for {InFlight} requests in flight")]
        public static partial void Draining(ILogger logger, int inFlight, double seconds);

        [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "{InFlight} requests still in flight after {Seconds} s (gateway.shutdownTimeout); cancelling them, each recorded as cancelled. Raise gateway.shutdownTimeout if calls this long are expected")]
        public static partial void Cancelling(ILogger logger, int inFlight, double seconds);

        [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Drained in {Milliseconds} ms ({Left} requests left); stopping the listener, then sessions, upstreams and the ledger")]
        public static partial void Drained(ILogger logger, double milliseconds, int left);
    }
}
