using ModelContextProtocol;
using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Tests;

public sealed class BankDatabaseTests : IDisposable
{
    private readonly TestBank _bank = new(customerCount: 600);

    public void Dispose() => _bank.Dispose();

    [Fact]
    public void Query_Join_ReturnsRowsAsNamedColumns()
    {
        var customer = _bank.Customers[0];

        var result = _bank.Database.Query(
            $"SELECT c.name, c.ssn, a.routing_number FROM customers c JOIN accounts a USING (customer_id) WHERE c.customer_id = '{customer.Id}';");

        var row = Assert.Single(result.Rows);
        Assert.Equal(["name", "ssn", "routing_number"], result.Columns);
        Assert.Equal(customer.Ssn, row["ssn"]);
        Assert.Equal(customer.RoutingNumber, row["routing_number"]);
        Assert.False(result.Truncated);
    }

    [Fact]
    public void Query_MoreRowsThanCap_IsTruncatedAt500()
    {
        var result = _bank.Database.Query("WITH everyone AS (SELECT * FROM customers) SELECT customer_id FROM everyone");

        Assert.Equal(BankDatabase.MaxRows, result.RowCount);
        Assert.True(result.Truncated);
    }

    [Fact]
    public void Query_DuplicateColumnNames_KeepsEveryValue()
    {
        var result = _bank.Database.Query("SELECT 1 AS x, 2 AS x");

        Assert.Equal(["x", "x_2"], result.Columns);
    }

    [Theory]
    [InlineData("DELETE FROM accounts")]
    [InlineData("UPDATE accounts SET balance = 0")]
    [InlineData("DROP TABLE customers")]
    [InlineData("PRAGMA query_only = OFF")]
    [InlineData("ATTACH DATABASE 'x.db' AS x")]
    [InlineData("SELECT 1; DELETE FROM accounts")]
    [InlineData("WITH doomed AS (SELECT 1) DELETE FROM accounts")]
    [InlineData("  ")]
    public void Query_AnythingButOneSelect_IsRefusedWithoutChange(string sql)
    {
        Assert.Throws<McpException>(() => _bank.Database.Query(sql));

        var count = Assert.Single(_bank.Database.Query("SELECT count(*) AS n FROM accounts WHERE balance > 0").Rows)["n"];
        Assert.Equal(600L, count);
    }

    [Fact]
    public void Query_UnknownColumn_ReportsSqliteMessage()
    {
        var error = Assert.Throws<McpException>(() => _bank.Database.Query("SELECT nope FROM customers"));

        Assert.Contains("no such column", error.Message);
    }
}
