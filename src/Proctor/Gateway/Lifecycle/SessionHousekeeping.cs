using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Routing;
using Proctor.Mcp.Sessions;

namespace Proctor.Gateway.Lifecycle;

/// <summary>
/// What follows the end of a session: its upstream subscriptions are released, by the gateway under its own
/// identity (<see cref="Caller.Gateway"/>, naming the session), and its close is recorded. At shutdown the sessions
/// still open are closed (reason <c>shutdown</c>) and this work is awaited, before the upstreams and the ledger stop.
/// </summary>
internal sealed partial class SessionHousekeeping(
    ClientSessionStore sessions,
    IServiceProvider services,
    ISessionRecorder recorder,
    BackgroundWork work,
    TimeProvider time,
    ILogger<SessionHousekeeping> logger) : IHostedService
{
    /// <summary>
    /// Bounds the wait for the last closes at shutdown. Each is one group-committed ledger append and, for a session
    /// with subscriptions, one unsubscribe per URI; SIGTERM with 1,000 sessions open exited in 649 ms in all (docs/RELIABILITY.md, Soak).
    /// </summary>
    private static readonly TimeSpan FinishWithin = TimeSpan.FromSeconds(5);

    private McpDispatcher? _dispatcher;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved here, not in the constructor: the dispatcher routes over the upstreams, which have started by now.
        _dispatcher = services.GetRequiredService<McpDispatcher>();
        sessions.Closed += OnClosed;
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var closed = sessions.CloseAll(SessionCloseReason.Shutdown);
        var unfinished = await work.WaitAsync(FinishWithin, time).ConfigureAwait(false);
        sessions.Closed -= OnClosed;
        if (unfinished.Count > 0)
        {
            Log.Unfinished(logger, unfinished.Count, FinishWithin.TotalSeconds, unfinished[0]);
        }
        else if (closed > 0)
        {
            Log.ClosedAtShutdown(logger, closed);
        }
    }

    private void OnClosed(ClientSession session, SessionCloseReason reason) =>
        work.Run($"housekeeping of closed session {session.Id}", () => CleanUpAsync(session, reason));

    private async Task CleanUpAsync(ClientSession session, SessionCloseReason reason)
    {
        if (!session.Subscriptions.IsEmpty)
        {
            await _dispatcher!.ReleaseAllAsync(session.Route, Caller.Gateway(session.Id, session.ProtocolVersion), session.Subscriptions, CancellationToken.None).ConfigureAwait(false);
        }

        try
        {
            await recorder.ClosedAsync(session.Id, ReasonText(reason), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RecordingFailedException or ObjectDisposedException or InvalidOperationException)
        {
            Log.CloseNotRecorded(logger, session.Id, ex.Message);
        }
    }

    private static string ReasonText(SessionCloseReason reason) => reason switch
    {
        SessionCloseReason.Deleted => "deleted",
        SessionCloseReason.Expired => "expired",
        _ => "shutdown",
    };

    private static partial class Log
    {
        [LoggerMessage(EventId = 2431, Level = LogLevel.Error, Message = "The close of session {SessionId} could not be recorded in the ledger: {Reason}")]
        public static partial void CloseNotRecorded(ILogger logger, string sessionId, string reason);

        [LoggerMessage(EventId = 2432, Level = LogLevel.Information, Message = "Closed {Count} sessions at shutdown; their closes are recorded and their upstream subscriptions released")]
        public static partial void ClosedAtShutdown(ILogger logger, int count);

        [LoggerMessage(EventId = 2433, Level = LogLevel.Warning, Message = "{Count} session housekeeping tasks had not finished {Seconds} s into shutdown (first: {First}); stopping anyway, their closes may be missing from the ledger")]
        public static partial void Unfinished(ILogger logger, int count, double seconds, string first);
    }
}
