using System.Text.Json;
using Proctor.Configuration.Models;
using Proctor.Ledger.Appending;
using Proctor.Ledger.Events;
using Proctor.Policy;

namespace Proctor.Evidence;

/// <summary>
/// The <c>policy.load</c> events (docs/ledger.md): every policy a decision can name was recorded before it decided
/// anything, and every refused reload is on record beside the policy that stayed in force.
/// </summary>
internal static class PolicyEvents
{
    private static readonly EventActor Gateway = new() { Subject = "proctor:gateway", AuthMethod = "none" };

    /// <param name="trigger"><c>start</c>, <c>file change</c> or <c>SIGHUP</c>.</param>
    public static Task LoadedAsync(AuditLedger ledger, GatewayPolicy policy, string? replaced, string trigger, TimeProvider time, CancellationToken cancellationToken) =>
        ledger.AppendAsync(Event(time, new EventOutcome { Status = "ok", Summary = $"{policy.Model.RuleCount} rule(s) in force" }, new
        {
            hash = policy.Model.Hash,
            source = policy.Source,
            rule_count = policy.Model.RuleCount,
            replaced,
            trigger,
        }), cancellationToken);

    public static Task RefusedAsync(AuditLedger ledger, string source, IReadOnlyList<PolicyError> errors, string inForce, string trigger, TimeProvider time, CancellationToken cancellationToken) =>
        ledger.AppendAsync(Event(time, new EventOutcome { Status = "refused", Summary = $"{errors.Count} error(s); the policy in force was kept" }, new
        {
            source,
            in_force = inForce,
            trigger,
            errors = errors.Select(e => e.ToString()).ToArray(),
        }), cancellationToken);

    private static LedgerEvent Event(TimeProvider time, EventOutcome outcome, object details) => new()
    {
        Id = EventIds.New(time),
        Kind = EventKinds.PolicyLoad,
        Time = time.GetUtcNow(),
        Actor = Gateway,
        Location = new EventLocation { GatewayNode = Environment.MachineName },
        Outcome = outcome,
        Details = JsonSerializer.SerializeToElement(details),
    };
}
