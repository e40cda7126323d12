using System.Text.Json;

namespace Proctor.Ledger.Events;

/// <summary>
/// One audit record: who did what, where, when, with what outcome and under which decision (PCI DSS 10.2.2,
/// NIST AU-3). Values MUST already be masked: the ledger never sees an unmasked argument or result.
/// The schema is documented field by field in docs/ledger.md.
/// </summary>
public sealed record LedgerEvent
{
    /// <summary>Unique and time-ordered (a UUIDv7 from <see cref="EventIds"/>).</summary>
    public required string Id { get; init; }

    /// <summary>One of <see cref="EventKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>When it happened; stored in UTC with millisecond precision.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Links call.request, call.notification, call.response and call.cancelled of one call.</summary>
    public string? CallId { get; init; }

    public EventActor? Actor { get; init; }
    public EventLocation? Location { get; init; }
    public EventAction? Action { get; init; }
    public EventOutcome? Outcome { get; init; }
    public EventDecision? Decision { get; init; }
    public EventTraffic? Traffic { get; init; }

    /// <summary>Kind-specific facts: the masked command line of upstream.spawn, the hash of config.load, the cutoff of ledger.purge…</summary>
    public JsonElement? Details { get; init; }
}

/// <summary>Who: the caller as authenticated by the gateway.</summary>
public sealed record EventActor
{
    public required string Subject { get; init; }
    public string? Issuer { get; init; }
    public IReadOnlyList<string>? Groups { get; init; }

    /// <summary>How the caller reached the gateway: bearer, none…</summary>
    public string? AuthMethod { get; init; }

    /// <summary>The token's <c>amr</c>, <c>acr</c> and <c>auth_time</c>.</summary>
    public IReadOnlyList<string>? Amr { get; init; }
    public string? Acr { get; init; }
    public DateTimeOffset? AuthTime { get; init; }

    public string? SourceAddress { get; init; }

    /// <summary>The client's own <c>clientInfo</c> (name, version) and user agent, as it claimed them.</summary>
    public JsonElement? ClientInfo { get; init; }
}

/// <summary>Where: which upstream, over what, through which gateway node, in which session.</summary>
public sealed record EventLocation
{
    public string? Server { get; init; }
    public string? Transport { get; init; }

    /// <summary>The MCP protocol version, which also tells the era (session era up to 2025-11-25, sessionless after).</summary>
    public string? ProtocolVersion { get; init; }
    public string? GatewayNode { get; init; }
    public string? SessionId { get; init; }
}

/// <summary>What: the JSON-RPC call and its masked arguments.</summary>
public sealed record EventAction
{
    public string? Method { get; init; }

    /// <summary>The tool, resource URI or prompt name.</summary>
    public string? Name { get; init; }

    /// <summary>The arguments as the masking stage left them.</summary>
    public JsonElement? Arguments { get; init; }
}

public sealed record EventOutcome
{
    /// <summary>ok, error, refused, cancelled, timeout.</summary>
    public required string Status { get; init; }

    /// <summary>A short masked summary of the result (e.g. "3 items").</summary>
    public string? Summary { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
}

/// <summary>The authorization decision; null until the policy stage exists.</summary>
public sealed record EventDecision
{
    /// <summary>allow, deny, approve.</summary>
    public required string Effect { get; init; }
    public string? Rule { get; init; }

    /// <summary>The canonical hash of the policy model that decided.</summary>
    public string? PolicyHash { get; init; }

    /// <summary>A stable reason code from docs/reason-codes.md.</summary>
    public string? ReasonCode { get; init; }
}

/// <summary>Cost and egress: what data left, in size and in kind (never the values).</summary>
public sealed record EventTraffic
{
    public double? LatencyMs { get; init; }
    public long? BytesIn { get; init; }
    public long? BytesOut { get; init; }
    public int? ItemsReturned { get; init; }

    /// <summary>Masked entities by detector type, e.g. { "ssn": 2, "pan": 1 }.</summary>
    public IReadOnlyDictionary<string, int>? MaskedEntities { get; init; }
}
