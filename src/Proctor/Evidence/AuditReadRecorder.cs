using System.Text.Json;
using Proctor.Http.Api;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Mcp.Pipeline;

namespace Proctor.Evidence;

/// <summary>Each authorized REST read becomes one <c>audit.read</c> event, durably committed before the read is served.</summary>
internal sealed class AuditReadRecorder(AuditLedger ledger, string gatewayNode, TimeProvider time) : IAuditReadRecorder
{
    public async ValueTask RecordReadAsync(Caller caller, string method, string path, string? query, CancellationToken cancellationToken) =>
        await ledger.AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = EventKinds.AuditRead,
            Time = time.GetUtcNow(),
            Actor = LedgerRecorder.ActorOf(caller, storedClientInfo: null), // REST callers send no clientInfo
            Location = new EventLocation { Transport = "rest", GatewayNode = gatewayNode },
            Action = new EventAction { Method = method, Name = path },
            Details = query is null ? null : JsonSerializer.SerializeToElement(new { query }),
        }, cancellationToken).ConfigureAwait(false);
}
