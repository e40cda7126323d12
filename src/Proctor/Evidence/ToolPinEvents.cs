using System.Text.Json;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Mcp.Pinning;

namespace Proctor.Evidence;

/// <summary>
/// The <c>tool.definition_changed</c> and <c>tool.definition_accepted</c> events (docs/ledger.md, decision 0034): a
/// tool is blocked only after its change is on record, and unblocked only after its acceptance is.
/// </summary>
internal sealed class ToolPinEvents(AuditLedger ledger, TimeProvider time) : IToolPinRecorder
{
    private static readonly EventActor Gateway = new() { Subject = ToolDefinitionPins.Gateway, AuthMethod = "none" };

    public Task DefinitionChangedAsync(string server, string tool, string pinned, string seen, CancellationToken cancellationToken) =>
        ledger.AppendAsync(Event(EventKinds.ToolDefinitionChanged, Gateway, new EventOutcome { Status = "blocked", Summary = $"tool '{tool}' on server '{server}' hidden and refused until accepted" },
            new { server, tool, pinned, seen }), cancellationToken);

    public Task AcceptedAsync(ToolPinAcceptance acceptance, EventActor admin, CancellationToken cancellationToken) =>
        ledger.AppendAsync(Event(EventKinds.ToolDefinitionAccepted, admin, new EventOutcome { Status = "ok", Summary = $"tool '{acceptance.Tool}' on server '{acceptance.Server}' usable again" },
            new { server = acceptance.Server, tool = acceptance.Tool, previous = acceptance.Previous, accepted = acceptance.Accepted }), cancellationToken);

    private LedgerEvent Event(string kind, EventActor actor, EventOutcome outcome, object details) => new()
    {
        Id = EventIds.New(time),
        Kind = kind,
        Time = time.GetUtcNow(),
        Actor = actor,
        Location = new EventLocation { GatewayNode = Environment.MachineName },
        Outcome = outcome,
        Details = JsonSerializer.SerializeToElement(details),
    };
}
