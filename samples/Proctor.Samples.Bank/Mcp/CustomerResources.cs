using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Mcp;

[McpServerResourceType]
internal sealed class CustomerResources(BankLedger ledger)
{
    [McpServerResource(UriTemplate = "bank://customers/{id}", Name = "customer", Title = "Customer record",
        MimeType = "application/json")]
    [Description("The full record of one bank customer as JSON, e.g. bank://customers/C00001.")]
    public string GetCustomer(string id)
    {
        var customer = ledger.FindCustomer(id)
            ?? throw new McpProtocolException($"No customer has id '{id}'.", McpErrorCode.ResourceNotFound);
        return JsonSerializer.Serialize(CustomerRecord.Of(customer, ledger), BankJson.Options);
    }
}
