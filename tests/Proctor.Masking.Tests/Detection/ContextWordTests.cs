using Proctor.Masking.Detection;

namespace Proctor.Masking.Tests.Detection;

public class ContextWordTests
{
    [Theory]
    [InlineData("recipient", "None")]
    [InlineData("the routing number", "Routing")]
    [InlineData("routingNumber", "Routing")]
    [InlineData("customer_SSN", "Ssn")]
    [InlineData("ACCOUNT-NO", "Account")]
    [InlineData("accountNo", "Account")]
    [InlineData("dateOfBirth", "Birth")]
    [InlineData("AWSSecretAccessKey", "Secret")]
    [InlineData("transaction", "None")]
    public void Of_MatchesWholeWordsOnly(string words, string expected) =>
        Assert.Equal(Enum.Parse<ContextFlags>(expected), ContextWords.Of(words));
}
