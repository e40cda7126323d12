using System.ComponentModel;
using ModelContextProtocol.Server;
using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Mcp;

[McpServerPromptType]
internal sealed class BankPrompts(BankLedger ledger)
{
    [McpServerPrompt(Name = "investigate_customer", Title = "Investigate a customer")]
    [Description("Asks the assistant to review one customer's profile, balance and recent activity for signs of fraud.")]
    public string InvestigateCustomer(
        [Description("The customer id, e.g. C00001.")]
        string customer_id)
    {
        var customer = ledger.GetCustomer(customer_id);
        return $"""
            Investigate bank customer {customer.Name} ({customer.Id}) for signs of fraud or account takeover.
            1. Read the resource bank://customers/{customer.Id} for the profile and balance.
            2. Call generate_statement with customer_id "{customer.Id}" and months 3; look for unusual withdrawals,
               card payments or transfers compared with the customer's regular payroll deposits.
            3. Summarise what you found and recommend next steps. Quote only the last 4 digits of any SSN,
               card or account number.
            """;
    }
}
