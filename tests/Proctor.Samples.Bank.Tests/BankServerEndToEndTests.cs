using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Proctor.Samples.Bank.Identifiers;

namespace Proctor.Samples.Bank.Tests;

public sealed class BankServerEndToEndTests(BankServerProcess server) : IClassFixture<BankServerProcess>
{
    private static readonly string[] RecordFields =
        ["name", "ssn", "date_of_birth", "email", "phone", "card_number", "account_number", "routing_number"];

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    [Fact]
    public async Task ListTools_Server_ExposesBankToolsWithRiskAnnotations()
    {
        var tools = (await server.Client.ListToolsAsync(cancellationToken: Timeout)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        Assert.Equal(
            ["generate_statement", "get_account_balance", "get_customer", "run_sql", "search_customers", "transfer_funds"],
            tools.Keys.Order());
        Assert.True(tools["transfer_funds"].Annotations?.DestructiveHint);
        Assert.False(tools["transfer_funds"].Annotations?.ReadOnlyHint);
        Assert.True(tools["run_sql"].Annotations?.ReadOnlyHint);
        Assert.NotNull(tools["search_customers"].OutputSchema);
    }

    [Fact]
    public async Task SearchCustomers_NameFragment_ReturnsTextAndStructuredRecords()
    {
        var result = await server.Client.CallToolAsync(
            "search_customers", new Dictionary<string, object?> { ["query"] = "a", ["limit"] = 3 }, cancellationToken: Timeout);

        Assert.NotEqual(true, result.IsError);
        var customers = result.StructuredContent!.Value.GetProperty("customers").EnumerateArray().ToList();
        Assert.Equal(3, customers.Count);
        Assert.All(customers, c => Assert.All(RecordFields, field => Assert.True(c.TryGetProperty(field, out _), field)));
        var first = customers[0];
        Assert.True(PaymentCardNumber.IsValid(first.GetProperty("card_number").GetString()!));
        var text = Assert.IsType<TextContentBlock>(result.Content[0]).Text;
        Assert.Contains(first.GetProperty("ssn").GetString()!, text);
    }

    [Fact]
    public async Task GenerateStatement_WithProgressReporter_ReceivesProgressNotifications()
    {
        var reports = new ConcurrentQueue<ProgressNotificationValue>();

        var result = await server.Client.CallToolAsync(
            "generate_statement",
            new Dictionary<string, object?> { ["customer_id"] = "C00001", ["months"] = 4 },
            new SynchronousProgress(reports.Enqueue),
            cancellationToken: Timeout);

        Assert.NotEqual(true, result.IsError);
        Assert.Contains("Statement for", Assert.IsType<TextContentBlock>(result.Content[0]).Text);
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.Equal(4, r.Total));
    }

    [Fact]
    public async Task TransferFunds_MoreThanBalance_ReturnsToolError()
    {
        var result = await server.Client.CallToolAsync(
            "transfer_funds",
            new Dictionary<string, object?>
            {
                ["from_account"] = await AccountOf("C00002"), ["to_account"] = await AccountOf("C00003"), ["amount"] = 1_000_000_000m,
            },
            cancellationToken: Timeout);

        Assert.True(result.IsError);
        Assert.Contains("Insufficient funds", Assert.IsType<TextContentBlock>(result.Content[0]).Text);
    }

    [Fact]
    public async Task ReadResource_CustomerTemplate_ReturnsCustomerJson()
    {
        var template = Assert.Single(await server.Client.ListResourceTemplatesAsync(cancellationToken: Timeout));
        var result = await server.Client.ReadResourceAsync("bank://customers/C00004", cancellationToken: Timeout);

        Assert.Equal("bank://customers/{id}", template.UriTemplate);
        var json = Assert.IsType<TextResourceContents>(Assert.Single(result.Contents)).Text;
        Assert.Equal("C00004", JsonDocument.Parse(json).RootElement.GetProperty("customer_id").GetString());
    }

    [Fact]
    public async Task GetPrompt_InvestigateCustomer_ReferencesCustomerResource()
    {
        var prompt = await server.Client.GetPromptAsync(
            "investigate_customer", new Dictionary<string, object?> { ["customer_id"] = "C00005" }, cancellationToken: Timeout);

        var text = Assert.IsType<TextContentBlock>(Assert.Single(prompt.Messages).Content).Text;
        Assert.Contains("bank://customers/C00005", text);
    }

    private async Task<string> AccountOf(string customerId)
    {
        var result = await server.Client.CallToolAsync(
            "get_customer", new Dictionary<string, object?> { ["customer_id"] = customerId }, cancellationToken: Timeout);
        return result.StructuredContent!.Value.GetProperty("account_number").GetString()!;
    }

    /// <summary>Records reports on the notifying thread, unlike <see cref="Progress{T}"/>, which posts them later.</summary>
    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
