using System.Text.Json;
using Proctor.Ledger.Events;

namespace Proctor.Bench.Micro.Ledger;

/// <summary>
/// A tools/call request like the bank sample's, with about 1.2 KB of masked arguments. The values differ from event to
/// event (ids, tokens, amounts, the query) while the shape repeats, as consecutive calls of one tool do, so compression
/// is measured on what a batch really shares and not on identical copies.
/// </summary>
internal static class SampleEvents
{
    private static JsonElement Arguments(int n) => JsonSerializer.SerializeToElement(new Dictionary<string, object>
    {
        ["customer_id"] = $"CUST-{n:000000}",
        ["ssn"] = $"[SSN:{n * 7919 % 0xFFFFFF:x6}]",
        ["query"] = $"recent wire transfers above threshold for review {n}",
        ["filters"] = Enumerable.Range(0, 12).Select(i => new Dictionary<string, object> { ["field"] = $"account_{i}", ["op"] = "gte", ["value"] = 1000.5 * i + n % 97, ["note"] = $"masked [PAN:{(n * 31 + i) % 0xFFFF:x4}] reviewed" }).ToArray(),
    });

    public static LedgerEvent Request(int n) => new()
    {
        Id = EventIds.New(TimeProvider.System),
        Kind = EventKinds.CallRequest,
        Time = DateTimeOffset.UtcNow,
        CallId = $"call-{n}",
        Actor = new EventActor { Subject = $"user{n % 50}@bank.example", Issuer = "https://idp.bank.example", Groups = ["tellers", "branch-12"], AuthMethod = "bearer", Amr = ["pwd", "mfa"], Acr = "urn:bank:loa:2", SourceAddress = "10.20.30.40" },
        Location = new EventLocation { Server = "bank", Transport = "stdio", ProtocolVersion = "2025-11-25", GatewayNode = "gw-1", SessionId = $"session-{n % 200}" },
        Action = new EventAction { Method = "tools/call", Name = "search_customers", Arguments = Arguments(n) },
        Decision = new EventDecision { Effect = "allow", Rule = "tellers-read", PolicyHash = "sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0" },
        Traffic = new EventTraffic { BytesIn = 1024, MaskedEntities = new Dictionary<string, int> { ["ssn"] = 1, ["pan"] = 12 } },
    };
}
