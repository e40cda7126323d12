using System.Text.Json;

namespace Proctor.Bench.Micro.Masking;

/// <summary>MCP tool results of a given size: clean business records, or records dense with customer PII.</summary>
internal static class Payloads
{
    public static byte[] Build(int targetBytes, bool dense)
    {
        var random = new Random(42);
        var items = new List<Dictionary<string, object>>();
        var size = 0;
        while (size < targetBytes)
        {
            var item = dense ? DenseRecord(random) : CleanRecord(random);
            size += JsonSerializer.SerializeToUtf8Bytes(item).Length + 1;
            items.Add(item);
        }
        var message = new Dictionary<string, object>
        {
            ["jsonrpc"] = "2.0",
            ["id"] = 7,
            ["result"] = new Dictionary<string, object> { ["structuredContent"] = new Dictionary<string, object> { ["items"] = items }, ["isError"] = false },
        };
        return JsonSerializer.SerializeToUtf8Bytes(message);
    }

    private static Dictionary<string, object> CleanRecord(Random r) => new()
    {
        ["id"] = new Guid(Enumerable.Range(0, 16).Select(_ => (byte)r.Next(256)).ToArray()).ToString(),
        ["name"] = $"Quarterly statement {r.Next(1, 99)}",
        ["status"] = r.Next(2) == 0 ? "posted" : "pending",
        ["created_at"] = new DateTime(2026, 1, 1).AddMinutes(r.Next(500000)).ToString("O"),
        ["amount"] = Math.Round(r.NextDouble() * 10000, 2),
        ["currency"] = "USD",
        ["description"] = "Monthly maintenance fee waived because the minimum balance was kept for the whole cycle",
        ["tags"] = new[] { "fees", "statement", "retail" },
    };

    private static Dictionary<string, object> DenseRecord(Random r) => new()
    {
        ["customer"] = $"Customer {r.Next(1000)}",
        ["ssn"] = $"{r.Next(100, 600)}-{r.Next(10, 99)}-{r.Next(1000, 9999)}",
        ["card"] = "4111 1111 1111 1111",
        ["email"] = $"client{r.Next(10000)}@example.com",
        ["phone"] = $"(212) 555-{r.Next(1000, 9999)}",
        ["account_number"] = r.NextInt64(10_000_000_000, 99_999_999_999).ToString(),
        ["routing_number"] = "021000021",
        ["iban"] = "DE89370400440532013000",
        ["dob"] = "1984-07-23",
        ["note"] = $"Called from 10.0.{r.Next(256)}.{r.Next(256)} about card 5500-0000-0000-0004 and SSN {r.Next(100, 600)}-45-6789",
    };
}
