using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Mcp;

[McpServerToolType]
internal sealed class CustomerTools(BankLedger ledger)
{
    public const int MaxSearchResults = 50;

    [McpServerTool(Name = "search_customers", Title = "Search customers", ReadOnly = true, OpenWorld = false,
        UseStructuredContent = true, OutputSchemaType = typeof(CustomerSearchResult))]
    [Description("Finds bank customers by part of their full name (case-insensitive) or by the last 4 digits of their "
        + "SSN. Returns full records: customer id, name, SSN, date of birth, email, phone, address, card number, "
        + "checking account and routing numbers, balance.")]
    public CallToolResult SearchCustomers(
        [Description("A fragment of the customer's name, e.g. 'garcia' or 'maria g', or exactly 4 digits to match the end of the SSN, e.g. '6789'.")]
        string query,
        [Description("The most customers to return, 1 to 50.")]
        int limit = 10)
    {
        var matches = ledger.Search(query, Math.Clamp(limit, 1, MaxSearchResults))
            .Select(c => CustomerRecord.Of(c, ledger))
            .ToList();
        var summary = matches.Count == 0
            ? $"No customer matches '{query}'."
            : $"{matches.Count} customer(s) match '{query}':\n" + string.Join('\n', matches.Select(m => m.ToDisplayLine()));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = summary }],
            StructuredContent = JsonSerializer.SerializeToElement(new CustomerSearchResult(matches), BankJson.Options),
        };
    }

    [McpServerTool(Name = "get_customer", Title = "Get customer", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Returns the full record of one customer: name, SSN, date of birth, contact details, card number, "
        + "checking account and routing numbers, balance.")]
    public CustomerRecord GetCustomer(
        [Description("The customer id, e.g. C00001, as returned by search_customers.")]
        string customer_id) =>
        CustomerRecord.Of(ledger.GetCustomer(customer_id), ledger);
}
