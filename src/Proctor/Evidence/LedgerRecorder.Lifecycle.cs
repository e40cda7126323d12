using System.Text.Json;
using Proctor.Ledger.Events;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Pipeline.Evidence;

namespace Proctor.Evidence;

/// <summary>Upstream processes and refusals made before Record or by the transport, as ledger events (docs/ledger.md).</summary>
internal sealed partial class LedgerRecorder : IUpstreamRecorder, IAccessRecorder
{
    private static readonly EventActor Gateway = new() { Subject = "proctor:gateway", AuthMethod = "none" };

    public ValueTask SpawnedAsync(UpstreamSpawn spawn, CancellationToken cancellationToken) =>
        AppendAsync(UpstreamEvent(EventKinds.UpstreamSpawn, spawn.Upstream, new
        {
            pid = spawn.ProcessId,
            command = spawn.Command,
            args = spawn.Args,
            env = spawn.EnvironmentNames,
            cwd = spawn.WorkingDirectory,
        }), cancellationToken);

    public ValueTask ExitedAsync(UpstreamExit exit, CancellationToken cancellationToken) =>
        AppendAsync(UpstreamEvent(EventKinds.UpstreamExit, exit.Upstream, new
        {
            pid = exit.ProcessId,
            exit_code = exit.ExitCode,
            reason = exit.Reason,
            uptime_seconds = Math.Round(exit.Uptime.TotalSeconds, 3),
        }), cancellationToken);

    public ValueTask RefusedAsync(AccessRefusal refusal, CancellationToken cancellationToken) =>
        AppendAsync(new LedgerEvent
        {
            Id = EventIds.New(time),
            Kind = EventKinds.CallRefused,
            Time = time.GetUtcNow(),
            Actor = Actor(refusal.Caller),
            Location = new EventLocation { Server = refusal.Server, Transport = "streamable-http", GatewayNode = gatewayNode },
            Outcome = new EventOutcome { Status = "refused", ErrorCode = refusal.HttpStatus, ErrorMessage = refusal.Message },
            Decision = new EventDecision { Effect = "deny", ReasonCode = refusal.ReasonCode },
        }, cancellationToken);

    private LedgerEvent UpstreamEvent(string kind, string upstream, object details) => new()
    {
        Id = EventIds.New(time),
        Kind = kind,
        Time = time.GetUtcNow(),
        Actor = Gateway,
        Location = new EventLocation { Server = upstream, Transport = "stdio", GatewayNode = gatewayNode },
        Details = JsonSerializer.SerializeToElement(details),
    };

    /// <summary>
    /// The refusing stage's reason code, from the error the caller received (<c>error.data.reason</c>). When the
    /// policy had decided, its hash is named, and its effect and rule when the refusal is the policy's own.
    /// </summary>
    /// <param name="reason">The refusal's reason code when the stage gave one (a "not yet" result carries none in the message).</param>
    private static EventDecision RefusalOf(JsonElement refusal, CallDecision? decision = null, string? reason = null)
    {
        reason ??= Member(Member(Member(refusal, "error"), "data"), "reason")?.GetString();
        // The policy's own refusal, or a call it sent for approval that was not run (pending, denied, or refused on the way).
        var policys = decision is not null && decision.Effect != "allow" && (decision.ReasonCode == reason || decision.Effect == "approve");
        return new EventDecision
        {
            Effect = policys ? decision!.Effect : "deny",
            ReasonCode = reason,
            PolicyHash = decision?.PolicyHash,
            Rule = policys ? decision!.Rule : null,
        };
    }

    /// <summary>The policy's decision as every record of an admitted call names it.</summary>
    private static EventDecision? DecisionOf(CallDecision? decision) => decision is null ? null : new EventDecision
    {
        Effect = decision.Effect,
        Rule = decision.Rule,
        PolicyHash = decision.PolicyHash,
        ReasonCode = decision.ReasonCode,
    };
}
