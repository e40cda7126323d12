using ModelContextProtocol;

namespace Proctor.Samples.Bank.Tests;

public sealed class BankLedgerTests : IDisposable
{
    private readonly TestBank _bank = new();

    private string From => _bank.Customers[0].AccountNumber;

    private string To => _bank.Customers[1].AccountNumber;

    public void Dispose() => _bank.Dispose();

    [Fact]
    public void Transfer_ValidAmount_MovesMoneyAndMirrorsSql()
    {
        var (fromBefore, toBefore) = (_bank.Ledger.GetBalance(From), _bank.Ledger.GetBalance(To));

        var receipt = _bank.Ledger.Transfer(From, To, 10.25m, "rent");

        Assert.Equal("TRF-000001", receipt.ConfirmationId);
        Assert.Equal(fromBefore - 10.25m, _bank.Ledger.GetBalance(From));
        Assert.Equal(toBefore + 10.25m, _bank.Ledger.GetBalance(To));
        Assert.Equal(receipt.FromAccountBalance, _bank.Ledger.GetBalance(From));
        var row = Assert.Single(_bank.Database.Query($"SELECT balance FROM accounts WHERE account_number = '{To}'").Rows);
        Assert.Equal((double)(toBefore + 10.25m), (double)row["balance"]!, 2);
    }

    [Fact]
    public void Transfer_WholeBalance_LeavesZero()
    {
        _bank.Ledger.Transfer(From, To, _bank.Ledger.GetBalance(From), "close out");

        Assert.Equal(0m, _bank.Ledger.GetBalance(From));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(0.001)]
    public void Transfer_AmountNotPositiveCents_IsRefused(decimal amount) =>
        AssertRefusedWithoutChange(() => _bank.Ledger.Transfer(From, To, amount, ""));

    [Fact]
    public void Transfer_MoreThanBalance_IsRefused() =>
        AssertRefusedWithoutChange(() => _bank.Ledger.Transfer(From, To, _bank.Ledger.GetBalance(From) + 0.01m, ""));

    [Fact]
    public void Transfer_UnknownAccount_IsRefused() =>
        AssertRefusedWithoutChange(() => _bank.Ledger.Transfer(From, "9999999999999", 1m, ""));

    [Fact]
    public void Transfer_SameAccount_IsRefused() =>
        AssertRefusedWithoutChange(() => _bank.Ledger.Transfer(From, From, 1m, ""));

    [Fact]
    public void Search_LastFourOfSsn_FindsCustomer()
    {
        var customer = _bank.Customers[3];

        Assert.Contains(customer, _bank.Ledger.Search(customer.Ssn[^4..], limit: 50));
    }

    [Fact]
    public void Search_NameFragmentAnyCase_FindsCustomer()
    {
        var customer = _bank.Customers[3];

        Assert.Contains(customer, _bank.Ledger.Search(customer.Name[2..6].ToUpperInvariant(), limit: 50));
    }

    private void AssertRefusedWithoutChange(Action transfer)
    {
        var balances = _bank.Customers.Select(c => _bank.Ledger.GetBalance(c.AccountNumber)).ToList();

        Assert.Throws<McpException>(transfer);

        Assert.Equal(balances, _bank.Customers.Select(c => _bank.Ledger.GetBalance(c.AccountNumber)));
    }
}
