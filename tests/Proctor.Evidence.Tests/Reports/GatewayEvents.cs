using System.Text.Json;
using Proctor.Ledger.Events;

namespace Proctor.Evidence.Tests.Reports;

/// <summary>
/// Events shaped field by field as the gateway records them (src/Proctor/Evidence: LedgerRecorder, ApprovalEvents,
/// GrantEvents, PolicyEvents), so the reports are tested on what the ledger really holds.
/// </summary>
internal sealed class GatewayEvents
{
    private DateTimeOffset _now = ReportHarness.From.AddHours(1);
    private int _ids;

    public List<LedgerEvent> Events { get; } = [];

    public DateTimeOffset Now => _now;

    public GatewayEvents Wait(TimeSpan span)
    {
        _now += span;
        return this;
    }

    public GatewayEvents Call(string subject, string server, string tool, string session, long bytesOut = 100, int items = 1, IReadOnlyDictionary<string, int>? masked = null,
        string? reason = null, string? policyHash = "sha256:policy-a", JsonElement? arguments = null, JsonElement? result = null, IReadOnlyList<string>? amr = null)
    {
        var callId = $"call-{_ids}";
        Add(new LedgerEvent
        {
            Id = Id(), Kind = EventKinds.CallRequest, Time = Tick(), CallId = callId,
            Actor = Actor(subject, amr), Location = Location(server, session),
            Action = new EventAction { Method = "tools/call", Name = tool, Arguments = arguments },
            Decision = new EventDecision { Effect = "allow", Rule = "rule-1", PolicyHash = policyHash, ReasonCode = reason },
            Traffic = new EventTraffic { BytesIn = 50 },
        });
        return Add(new LedgerEvent
        {
            Id = Id(), Kind = EventKinds.CallResponse, Time = Tick(), CallId = callId,
            Actor = Actor(subject, amr), Location = Location(server, session),
            Action = new EventAction { Method = "tools/call", Name = tool },
            Outcome = new EventOutcome { Status = "ok" },
            Decision = new EventDecision { Effect = "allow", Rule = "rule-1", PolicyHash = policyHash, ReasonCode = reason },
            Traffic = new EventTraffic { LatencyMs = 3, BytesOut = bytesOut, ItemsReturned = items, MaskedEntities = masked },
            Details = result,
        });
    }

    public GatewayEvents Refused(string subject, string server, string tool, string reasonCode, string session = "s-1") => Add(new LedgerEvent
    {
        Id = Id(), Kind = EventKinds.CallRefused, Time = Tick(),
        Actor = Actor(subject), Location = Location(server, session),
        Action = new EventAction { Method = "tools/call", Name = tool },
        Outcome = new EventOutcome { Status = "refused" },
        Decision = new EventDecision { Effect = "deny", ReasonCode = reasonCode },
    });

    public GatewayEvents Approval(string kind, string approvalId, string actor, string requester, string server, string tool, string state, string? justification = null, string session = "s-1") => Add(new LedgerEvent
    {
        Id = Id(), Kind = kind, Time = Tick(), CallId = kind == EventKinds.ApprovalUse ? "call-approved" : null,
        Actor = Actor(actor), Location = Location(server, session),
        Action = new EventAction { Method = "tools/call", Name = tool },
        Outcome = new EventOutcome { Status = state },
        Decision = new EventDecision { Effect = "approve", Rule = "hold-transfers", PolicyHash = "sha256:policy-a", ReasonCode = "policy.approval_required" },
        Details = JsonSerializer.SerializeToElement(new
        {
            approval_id = approvalId, requester, approver_groups = new[] { "approvers" }, min_approvals = 1, approvals = 0,
            expires_at = _now.AddHours(1), justification, reason = (string?)null, comment = (string?)null, via = "mcp", @operator = (string?)null,
        }),
    });

    public GatewayEvents Grant(string kind, string grantId, string actor, string holder, string server, string state, bool breakGlass = false,
        DateTimeOffset? startsAt = null, DateTimeOffset? expiresAt = null, string? reviewId = null, string? reason = null, string? outcome = null) => Add(new LedgerEvent
    {
        Id = Id(), Kind = kind, Time = Tick(),
        Actor = Actor(actor), Location = new EventLocation { Server = server, Transport = "console", GatewayNode = "node-1" },
        Outcome = new EventOutcome { Status = outcome ?? state },
        Decision = new EventDecision { Effect = "grant", Rule = "jit-payments", PolicyHash = "sha256:policy-a", ReasonCode = "policy.grant_required" },
        Details = JsonSerializer.SerializeToElement(new
        {
            grant_id = grantId, review_id = reviewId, holder, tools = new[] { "transfer" }, duration_seconds = 3600L, break_glass = breakGlass,
            reason, ticket = (string?)null, approver_groups = new[] { "approvers" }, min_approvals = 1, approvals = 0,
            starts_at = startsAt, expires_at = expiresAt, comment = (string?)null, via = "console", @operator = (string?)null,
        }),
    });

    public GatewayEvents PolicyLoaded(string hash, string? replaced) => Add(new LedgerEvent
    {
        Id = Id(), Kind = EventKinds.PolicyLoad, Time = Tick(),
        Actor = new EventActor { Subject = "proctor:gateway", AuthMethod = "none" },
        Location = new EventLocation { GatewayNode = "node-1" },
        Outcome = new EventOutcome { Status = "ok", Summary = "3 rule(s) in force" },
        Details = JsonSerializer.SerializeToElement(new { hash, source = "policy.yaml", rule_count = 3, replaced, trigger = "file change" }),
    });

    public GatewayEvents PolicyRefused(string inForce) => Add(new LedgerEvent
    {
        Id = Id(), Kind = EventKinds.PolicyLoad, Time = Tick(),
        Actor = new EventActor { Subject = "proctor:gateway", AuthMethod = "none" },
        Location = new EventLocation { GatewayNode = "node-1" },
        Outcome = new EventOutcome { Status = "refused", Summary = "2 error(s); the policy in force was kept" },
        Details = JsonSerializer.SerializeToElement(new { source = "policy.yaml", in_force = inForce, trigger = "SIGHUP", errors = new[] { "a", "b" } }),
    });

    public GatewayEvents Add(LedgerEvent ledgerEvent)
    {
        Events.Add(ledgerEvent);
        return this;
    }

    private string Id() => $"01930000-0000-7000-8000-{_ids++:D12}";

    private DateTimeOffset Tick() => _now = _now.AddSeconds(1);

    private static EventActor Actor(string subject, IReadOnlyList<string>? amr = null) =>
        new() { Subject = subject, Issuer = "https://idp.bank.example", AuthMethod = "bearer", Amr = amr, SourceAddress = "10.0.0.7" };

    private static EventLocation Location(string server, string session) =>
        new() { Server = server, Transport = "streamable-http", ProtocolVersion = "2025-11-25", GatewayNode = "node-1", SessionId = session };
}
