using System.ComponentModel;
using ModelContextProtocol.Server;
using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Mcp;

[McpServerToolType]
internal sealed class SqlTools(BankDatabase database)
{
    [McpServerTool(Name = "run_sql", Title = "Run read-only SQL", ReadOnly = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Runs one read-only SQLite SELECT over the bank's tables and returns the rows as JSON (at most 500; "
        + "'truncated' tells whether more matched). Tables: customers(customer_id, name, ssn, date_of_birth, email, "
        + "phone, address, card_number) and accounts(account_number, routing_number, customer_id, balance, currency). "
        + "Anything but a single SELECT or WITH … SELECT statement is refused.")]
    public SqlQueryResult RunSql(
        [Description("One SQLite SELECT statement without ';' separators, e.g. "
            + "\"SELECT c.name, a.balance FROM customers c JOIN accounts a USING (customer_id) ORDER BY a.balance DESC LIMIT 5\".")]
        string query) =>
        database.Query(query);
}
