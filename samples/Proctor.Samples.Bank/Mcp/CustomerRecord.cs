using Proctor.Samples.Bank.Data;

namespace Proctor.Samples.Bank.Mcp;

/// <summary>A customer as tools and resources return it, with the current balance of the checking account.</summary>
internal sealed record CustomerRecord(
    string CustomerId,
    string Name,
    string Ssn,
    DateOnly DateOfBirth,
    string Email,
    string Phone,
    string Address,
    string CardNumber,
    string AccountNumber,
    string RoutingNumber,
    decimal Balance,
    string Currency)
{
    public static CustomerRecord Of(Customer customer, BankLedger ledger) => new(
        customer.Id,
        customer.Name,
        customer.Ssn,
        customer.DateOfBirth,
        customer.Email,
        customer.Phone,
        customer.Address,
        customer.CardNumber,
        customer.AccountNumber,
        customer.RoutingNumber,
        ledger.GetBalance(customer.AccountNumber),
        BankLedger.Currency);

    public string ToDisplayLine() =>
        $"{CustomerId}  {Name} | SSN {Ssn} | DOB {DateOfBirth:yyyy-MM-dd} | {Email} | {Phone} | {Address} | "
        + $"card {CardNumber} | account {AccountNumber} | routing {RoutingNumber} | balance {Balance:N2} {Currency}";
}

internal sealed record CustomerSearchResult(IReadOnlyList<CustomerRecord> Customers);
