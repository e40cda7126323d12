using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proctor.Approvals.Desk;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// Marks approval requests whose validity window has passed as expired, each recorded first (<c>approval.expire</c>):
/// at start (requests that expired while the gateway was down), then every <see cref="Interval"/>. Nothing depends on
/// the sweep for safety (an expired request authorizes nothing whether or not it is marked); it puts expiries on record.
/// </summary>
internal sealed partial class ApprovalExpiry(ApprovalDesk desk, TimeProvider time, ILogger<ApprovalExpiry> logger) : IHostedService
{
    /// <summary>An expiry is on record at most this late; a sweep is one indexed query when nothing is due.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _stopping = new();
    private Task _sweeping = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _sweeping = SweepAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sweeping.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                if (await desk.ExpireDueAsync(cancellationToken).ConfigureAwait(false) is var expired and > 0)
                {
                    Log.Expired(logger, expired);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                Log.Failed(logger, ex.Message, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "{Count} approval request(s) expired unused; each is recorded as approval.expire")]
        public static partial void Expired(ILogger logger, int count);

        [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Expired approval requests could not be marked: {Reason}. They authorize nothing either way; the next sweep tries again.")]
        public static partial void Failed(ILogger logger, string reason, Exception exception);
    }
}
