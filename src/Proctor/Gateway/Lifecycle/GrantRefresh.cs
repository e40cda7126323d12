using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proctor.Approvals.Grants;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Sessions;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// Keeps the in-memory <see cref="ActiveGrants"/> the Authorize stage checks in step with the store, and tells sessions
/// when a grant they rely on starts or ends (decision 0041). Every <see cref="Interval"/>: grants that ran out (or whose
/// request lapsed) are marked expired, each recorded first (<c>grant.expire</c>); the active ones are read and swapped
/// in; the holders whose access changed get <c>tools/list_changed</c>; the open reviews are counted for <c>/metrics</c>.
/// A change made through this process's desk (REST) is applied at once. Safety does not depend on the loop: a call
/// compares each grant's end with its own time, so an expired grant refuses the next call whatever the loop is doing.
/// </summary>
internal sealed partial class GrantRefresh(GrantDesk desk, ActiveGrants grants, GrantListChanges lists, GatewayMetrics metrics, TimeProvider time, ILogger<GrantRefresh> logger) : IHostedService
{
    /// <summary>
    /// A grant given or revoked through the CLI (another process) reaches the calls within this; an expiry's
    /// <c>list_changed</c> is at most this late. One indexed query a second while nothing changes.
    /// </summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();
    private Task _refreshing = Task.CompletedTask;
    private volatile int _openReviews;

    public int OpenReviews => _openReviews;

    /// <summary>Reads the grants once before the gateway listens, so grants given before a restart work from its first call.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        desk.Changed += Apply;
        metrics.ObserveAccess(() => _openReviews, () => grants.CountAt(time.GetUtcNow()));
        await RefreshOnceAsync(cancellationToken).ConfigureAwait(false);
        _refreshing = RefreshLoopAsync(_stopping.Token);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        desk.Changed -= Apply;
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _refreshing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    /// <summary>One round: expiries on record, the active grants swapped in, sessions told, reviews counted.</summary>
    private async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (await desk.ExpireDueAsync(cancellationToken).ConfigureAwait(false) is var expired and > 0)
        {
            Log.Expired(logger, expired);
        }

        var now = time.GetUtcNow();
        var active = await desk.Store.ActiveAsync(now, cancellationToken).ConfigureAwait(false);
        Tell(grants.Replace(active, now));
        _openReviews = await desk.Store.CountOpenReviewsAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Apply(AccessGrant changed) => Tell(grants.Apply(changed, time.GetUtcNow()));

    private void Tell(IReadOnlyList<GrantChange> changes)
    {
        if (changes.Count > 0)
        {
            Log.Changed(logger, changes.Count, lists.Notify(changes));
        }
    }

    private async Task RefreshLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            await RefreshOnceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RefreshOnceAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            Log.Failed(logger, ex.Message, ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3150, Level = LogLevel.Information, Message = "{Count} grant(s) or grant request(s) expired; each is recorded as grant.expire")]
        public static partial void Expired(ILogger logger, int count);

        [LoggerMessage(EventId = 3151, Level = LogLevel.Information, Message = "Access changed for {Holders} holder/server pair(s) (a grant started, expired or was revoked); {Sessions} session(s) were sent tools/list_changed")]
        public static partial void Changed(ILogger logger, int holders, int sessions);

        [LoggerMessage(EventId = 3152, Level = LogLevel.Error, Message = "Grants could not be refreshed from the database: {Reason}. Calls keep being checked against the grants last read, each against its own end time (an expired grant still refuses); the next round tries again in a second.")]
        public static partial void Failed(ILogger logger, string reason, Exception exception);
    }
}
