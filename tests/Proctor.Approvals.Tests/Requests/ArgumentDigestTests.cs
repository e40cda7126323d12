using System.Text.Json;
using Proctor.Approvals.Requests;

namespace Proctor.Approvals.Tests.Requests;

public sealed class ArgumentDigestTests
{
    private static readonly ArgumentDigest Digest = new(new byte[32]);

    private static string Of(string json) => Digest.Of(JsonElement.Parse(json));

    [Theory]
    [InlineData("""{"amount":15000,"to":"ACC-1"}""", """{ "to" : "ACC-1", "amount" : 15000 }""")]
    [InlineData("""{"memo":"é"}""", """{"memo":"\u00e9"}""")]
    [InlineData("""{"amount":1.0E4}""", """{"amount":10000}""")]
    [InlineData("""{"a":{"y":1,"x":[1,2]}}""", """{"a":{"x":[1,2],"y":1}}""")]
    public void Of_SameArgumentsWrittenDifferently_SameDigest(string one, string other) =>
        Assert.Equal(Of(one), Of(other));

    [Theory]
    [InlineData("""{"amount":15000}""", """{"amount":15001}""")]
    [InlineData("""{"amount":15000}""", """{"amount":"15000"}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[2,1]}""")]
    [InlineData("""{"to":"ACC-1"}""", """{"to":"acc-1"}""")]
    [InlineData("""{}""", """{"extra":null}""")]
    public void Of_DifferentArguments_DifferentDigest(string one, string other) =>
        Assert.NotEqual(Of(one), Of(other));

    [Fact]
    public void Of_NoArguments_SameAsAnEmptyObject() =>
        Assert.Equal(Of("{}"), Digest.Of(default));

    [Fact]
    public void Of_AnotherKey_AnotherDigest_SoAHashAloneCannotBeSearched()
    {
        var other = new ArgumentDigest(Enumerable.Repeat((byte)7, 32).ToArray());

        Assert.NotEqual(Of("""{"ssn":"123-45-6789"}"""), other.Of(JsonElement.Parse("""{"ssn":"123-45-6789"}""")));
        Assert.Matches("^[0-9a-f]{64}$", Of("{}"));
    }

    [Fact]
    public void Create_ShortKey_Refused() =>
        Assert.Throws<ArgumentException>(() => new ArgumentDigest(new byte[31]));
}
