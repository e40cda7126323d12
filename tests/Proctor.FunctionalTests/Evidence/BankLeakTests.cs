using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Evidence;

/// <summary>
/// The sample bank's records through the gateway under the default masking rules: none of the known
/// SSNs, card, account or routing numbers reaches the client, the stored ledger, the log, or a replay.
/// The known values come from the same bank server asked directly, without the gateway.
/// </summary>
public sealed class BankLeakTests
{
    private static readonly string[] SensitiveFields = ["ssn", "card_number", "account_number", "routing_number"];

    [Fact]
    public async Task BankRecords_ThroughTheGateway_NoKnownSensitiveValueLeaksAnywhere()
    {
        var known = await KnownSensitiveValuesAsync();
        Assert.True(known.Count >= 40, $"expected at least 40 known values, got {known.Count}");
        var log = new CapturedLog();
        var seen = new StringBuilder();
        string database;
        await using (var gateway = await GatewayUnderTest.StartAsync(BankEvidence.BankUpstream, log: log, logLevel: "Debug"))
        {
            database = gateway.DatabasePath;
            await using var client = await Clients.ConnectAsync(gateway.Mcp("bank"), "2025-11-25");
            var search = await client.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 20 });
            seen.Append(JsonSerializer.Serialize(search));
            var first = search.StructuredContent!.Value.GetProperty("customers")[0].GetProperty("customer_id").GetString();
            seen.Append(JsonSerializer.Serialize(await client.CallToolAsync("get_customer", new Dictionary<string, object?> { ["customer_id"] = first })));
            seen.Append(JsonSerializer.Serialize(await client.CallToolAsync("run_sql", new Dictionary<string, object?> { ["query"] = "SELECT * FROM customers LIMIT 20" })));

            var stored = await BankEvidence.StoredBytesAsync(gateway.DataFolder);
            Assert.Contains("\"call.response\"", stored, StringComparison.Ordinal); // the calls were recorded, masked
            Assert.Contains("get_customer", stored, StringComparison.Ordinal);
            Assert.All(known, value =>
            {
                Assert.DoesNotContain(value, seen.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain(value, stored, StringComparison.Ordinal);
                Assert.DoesNotContain(log.Lines, line => line.Contains(value, StringComparison.Ordinal));
            });
            Assert.Contains("***-**-", seen.ToString(), StringComparison.Ordinal); // masked, not dropped
        }

        Assert.False(File.Exists(database), "the test gateway's data folder should be removed with it");
    }

    /// <summary>Asks the bank server directly (no gateway) for the same customers, and keeps each sensitive value in the forms it could appear in.</summary>
    private static async Task<HashSet<string>> KnownSensitiveValuesAsync()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions { Command = "dotnet", Arguments = [Peers.ProctorDll, "sample", "bank-server"], Name = "bank-direct" });
        await using var direct = await McpClient.CreateAsync(transport);
        var search = await direct.CallToolAsync("search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 20 });
        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var customer in search.StructuredContent!.Value.GetProperty("customers").EnumerateArray())
        {
            foreach (var field in SensitiveFields)
            {
                var value = customer.GetProperty(field).GetString()!;
                values.Add(value);
                values.Add(new string(value.Where(char.IsAsciiDigit).ToArray()));
            }
        }

        return values;
    }
}
