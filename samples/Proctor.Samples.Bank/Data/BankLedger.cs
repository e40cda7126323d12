using ModelContextProtocol;

namespace Proctor.Samples.Bank.Data;

/// <summary>
/// Customers and their live balances. Rule violations throw <see cref="McpException"/>, whose message
/// reaches the MCP client as a tool error.
/// </summary>
internal sealed class BankLedger
{
    public const string Currency = "USD";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Customer> _customersById;
    private readonly Dictionary<string, decimal> _balances;
    private readonly BankDatabase _database;
    private int _transferCount;

    public BankLedger(IReadOnlyList<Customer> customers, BankDatabase database)
    {
        Customers = customers;
        _customersById = customers.ToDictionary(c => c.Id, StringComparer.OrdinalIgnoreCase);
        _balances = customers.ToDictionary(c => c.AccountNumber, c => c.OpeningBalance);
        _database = database;
    }

    public IReadOnlyList<Customer> Customers { get; }

    /// <summary>Customers whose name contains <paramref name="query"/>, or whose SSN ends with it when it is 4 digits.</summary>
    public IReadOnlyList<Customer> Search(string query, int limit)
    {
        var term = query.Trim();
        Func<Customer, bool> matches = term.Length == 4 && term.All(char.IsAsciiDigit)
            ? c => c.Ssn.EndsWith(term, StringComparison.Ordinal)
            : c => c.Name.Contains(term, StringComparison.OrdinalIgnoreCase);
        return Customers.Where(matches).Take(limit).ToList();
    }

    public Customer? FindCustomer(string id) => _customersById.GetValueOrDefault(id.Trim());

    public Customer GetCustomer(string id) =>
        FindCustomer(id) ?? throw new McpException($"No customer has id '{id}'. Use search_customers to find ids.");

    public decimal GetBalance(string accountNumber)
    {
        lock (_gate)
        {
            return BalanceOf(accountNumber);
        }
    }

    /// <summary>Moves <paramref name="amount"/> between two accounts of this bank, all or nothing.</summary>
    public TransferReceipt Transfer(string fromAccount, string toAccount, decimal amount, string memo)
    {
        if (amount <= 0 || decimal.Round(amount, 2) != amount)
        {
            throw new McpException("The amount must be a positive number of dollars and whole cents.");
        }

        if (fromAccount == toAccount)
        {
            throw new McpException("The source and destination accounts must differ.");
        }

        lock (_gate)
        {
            var fromBalance = BalanceOf(fromAccount) - amount;
            var toBalance = BalanceOf(toAccount) + amount;
            if (fromBalance < 0)
            {
                throw new McpException($"Insufficient funds: the amount exceeds the balance of account {fromAccount}.");
            }

            _balances[fromAccount] = fromBalance;
            _balances[toAccount] = toBalance;
            _database.SetBalance(fromAccount, fromBalance);
            _database.SetBalance(toAccount, toBalance);
            var confirmationId = $"TRF-{++_transferCount:D6}";
            return new TransferReceipt(confirmationId, fromAccount, toAccount, amount, Currency, memo, fromBalance);
        }
    }

    private decimal BalanceOf(string accountNumber) =>
        _balances.TryGetValue(accountNumber, out var balance)
            ? balance
            : throw new McpException($"No account has number '{accountNumber}'.");
}
