using System.Text;
using System.Text.Json;
using Proctor.Ledger.Events;

namespace Proctor.Ledger.Tests.Events;

public class EventJsonTests
{
    // Leaf hashes are over these bytes: a change of spelling would make the same event hash differently.
    [Fact]
    public void Canonical_EventWithHtmlAndNonAsciiText_IsPinnedBytes()
    {
        var ledgerEvent = new LedgerEvent
        {
            Id = "0193a0b4-0000-7000-8000-000000000001",
            Kind = "call.request",
            Time = new DateTimeOffset(2026, 11, 24, 17, 28, 52, 123, TimeSpan.Zero),
            CallId = "c<1>",
            Actor = new EventActor { Subject = "Zoë+admin@bank.example", Groups = ["tellers & co", "😀"] },
            Traffic = new EventTraffic { LatencyMs = 1.25, BytesIn = 12 },
            Action = new EventAction { Method = "tools/call", Arguments = JsonElement.Parse("""{"q":"a'b<c>","n":[1.5,2,1e21]}""") },
        };

        Assert.Equal(
            """{"action":{"arguments":{"n":[1.5,2,1e+21],"q":"a'b<c>"},"method":"tools/call"},"actor":{"groups":["tellers & co","😀"],"subject":"Zoë+admin@bank.example"},"call_id":"c<1>","id":"0193a0b4-0000-7000-8000-000000000001","kind":"call.request","time":"2026-11-24T17:28:52.123Z","traffic":{"bytes_in":12,"latency_ms":1.25}}""",
            Encoding.UTF8.GetString(EventJson.Canonical(ledgerEvent)));
    }
}
