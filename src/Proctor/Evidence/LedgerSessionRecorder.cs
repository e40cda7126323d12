using System.Collections.Concurrent;
using System.Text.Json;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Ledger.Storage;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Evidence;

/// <summary>session.open and session.close in the ledger, with who opened the session, from where and with which client.</summary>
internal sealed class LedgerSessionRecorder(AuditLedger ledger, string gatewayNode, TimeProvider time) : ISessionRecorder
{
    private readonly ConcurrentDictionary<string, (Caller Caller, string Route, DateTimeOffset Opened)> _open = new(StringComparer.Ordinal);

    public async ValueTask OpenedAsync(string sessionId, string route, Caller caller, CancellationToken cancellationToken)
    {
        await AppendAsync(EventKinds.SessionOpen, sessionId, route, caller, new { route }, cancellationToken).ConfigureAwait(false);
        _open[sessionId] = (caller, route, time.GetUtcNow());
    }

    public async ValueTask ClosedAsync(string sessionId, string reason, CancellationToken cancellationToken)
    {
        if (!_open.TryRemove(sessionId, out var session))
        {
            return; // opened before this gateway process started, or never recorded as open
        }

        var duration = Math.Round((time.GetUtcNow() - session.Opened).TotalSeconds, 3);
        await AppendAsync(EventKinds.SessionClose, sessionId, session.Route, session.Caller, new { route = session.Route, reason, duration_seconds = duration }, cancellationToken).ConfigureAwait(false);
    }

    private async Task AppendAsync(string kind, string sessionId, string route, Caller caller, object details, CancellationToken cancellationToken)
    {
        try
        {
            await ledger.AppendAsync(new LedgerEvent
            {
                Id = EventIds.New(time),
                Kind = kind,
                Time = time.GetUtcNow(),
                Actor = LedgerCallRecorder.ActorOf(caller),
                Location = new EventLocation { Server = route, Transport = "streamable-http", ProtocolVersion = caller.ProtocolVersion, GatewayNode = gatewayNode, SessionId = sessionId },
                Details = JsonSerializer.SerializeToElement(details),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (LedgerUnavailableException ex)
        {
            throw new RecordingFailedException(ex.Reason, ex);
        }
    }
}
