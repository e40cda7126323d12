using Proctor.Samples.Bank.Identifiers;

namespace Proctor.Samples.Bank.Tests;

public sealed class IdentifierTests
{
    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("378282246310005", true)]
    [InlineData("79927398713", true)]
    [InlineData("79927398710", false)]
    [InlineData("4111-1111", false)]
    public void LuhnIsValid_KnownNumbers_MatchesReference(string digits, bool expected) =>
        Assert.Equal(expected, Luhn.IsValid(digits));

    [Theory]
    [InlineData("011000015", true)]   // Federal Reserve Bank of Boston
    [InlineData("021000021", true)]   // JPMorgan Chase, New York
    [InlineData("021000022", false)]  // check digit off by one
    [InlineData("991000021", false)]  // 99 is no Federal Reserve routing symbol
    [InlineData("02100002", false)]
    public void AbaRoutingNumberIsValid_KnownNumbers_MatchesReference(string value, bool expected) =>
        Assert.Equal(expected, AbaRoutingNumber.IsValid(value));

    [Theory]
    [InlineData("123-45-6789", true)]
    [InlineData("000-12-3456", false)]
    [InlineData("666-12-3456", false)]
    [InlineData("912-12-3456", false)]
    [InlineData("123-00-4567", false)]
    [InlineData("123-45-0000", false)]
    [InlineData("123 45 6789", false)]
    public void SocialSecurityNumberIsValid_KnownNumbers_AppliesSsaRules(string value, bool expected) =>
        Assert.Equal(expected, SocialSecurityNumber.IsValid(value));

    [Fact]
    public void Generators_ManyDraws_ProduceOnlyValidValues()
    {
        var random = new Random(7);
        for (var i = 0; i < 10_000; i++)
        {
            Assert.True(PaymentCardNumber.IsValid(PaymentCardNumber.Generate(random)));
            Assert.True(AbaRoutingNumber.IsValid(AbaRoutingNumber.Generate(random)));
            Assert.True(SocialSecurityNumber.IsValid(SocialSecurityNumber.Generate(random)));
        }
    }

    [Fact]
    public void PaymentCardNumberGenerate_ManyDraws_CoversEveryIssuer()
    {
        var random = new Random(7);
        var prefixes = Enumerable.Range(0, 1_000).Select(_ => PaymentCardNumber.Generate(random)[0]).ToHashSet();

        Assert.Equal(['2', '3', '4', '5', '6'], prefixes.Order());
    }
}
