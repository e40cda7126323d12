namespace Proctor.Samples.Bank.Data;

/// <summary>One synthetic customer with one checking account.</summary>
internal sealed record Customer(
    string Id,
    string Name,
    string Ssn,
    DateOnly DateOfBirth,
    string Email,
    string Phone,
    string Address,
    string CardNumber,
    string AccountNumber,
    string RoutingNumber,
    decimal OpeningBalance);
