using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Tests;

/// <summary>A ledger and database over a small generated customer list.</summary>
internal sealed class TestBank : IDisposable
{
    public TestBank(int customerCount = 20)
    {
        Customers = CustomerGenerator.Generate(BankServerOptions.DefaultSeed, customerCount);
        Database = new BankDatabase(Customers);
        Ledger = new BankLedger(Customers, Database);
    }

    public IReadOnlyList<Customer> Customers { get; }

    public BankDatabase Database { get; }

    public BankLedger Ledger { get; }

    public void Dispose() => Database.Dispose();
}
