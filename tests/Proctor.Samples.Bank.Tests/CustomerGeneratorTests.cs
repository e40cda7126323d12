using System.Text.RegularExpressions;
using Proctor.Samples.Bank.Data;
using Proctor.Samples.Bank.Identifiers;

namespace Proctor.Samples.Bank.Tests;

public sealed partial class CustomerGeneratorTests
{
    [Fact]
    public void Generate_SameSeed_ReturnsSameCustomers() =>
        Assert.Equal(CustomerGenerator.Generate(42, 100), CustomerGenerator.Generate(42, 100));

    [Fact]
    public void Generate_DifferentSeeds_ReturnDifferentCustomers() =>
        Assert.NotEqual(CustomerGenerator.Generate(42, 100), CustomerGenerator.Generate(43, 100));

    [Fact]
    public void Generate_DefaultOptions_EveryFieldIsWellFormed()
    {
        var customers = CustomerGenerator.Generate(BankServerOptions.DefaultSeed, BankServerOptions.DefaultCustomerCount);

        Assert.Equal(BankServerOptions.DefaultCustomerCount, customers.Count);
        Assert.Equal(customers.Count, customers.Select(c => c.Id).Distinct().Count());
        Assert.Equal(customers.Count, customers.Select(c => c.AccountNumber).Distinct().Count());
        Assert.All(customers, c =>
        {
            Assert.True(SocialSecurityNumber.IsValid(c.Ssn), c.Ssn);
            Assert.True(PaymentCardNumber.IsValid(c.CardNumber), c.CardNumber);
            Assert.True(AbaRoutingNumber.IsValid(c.RoutingNumber), c.RoutingNumber);
            Assert.Matches(AccountNumberPattern(), c.AccountNumber);
            Assert.Matches(PhonePattern(), c.Phone);
            Assert.Matches(EmailPattern(), c.Email);
            Assert.InRange(c.DateOfBirth, new DateOnly(1940, 1, 1), new DateOnly(2006, 1, 1));
            Assert.True(c.OpeningBalance > 0);
        });
    }

    [GeneratedRegex(@"^[1-9]\d{9,11}$")]
    private static partial Regex AccountNumberPattern();

    [GeneratedRegex(@"^\([2-9]\d\d\) [2-9]\d\d-\d{4}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[a-z]+\.[a-z]+\d+@example\.(com|net|org)$")]
    private static partial Regex EmailPattern();
}
