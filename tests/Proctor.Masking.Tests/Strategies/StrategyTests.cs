using Proctor.Masking.Policy;

namespace Proctor.Masking.Tests.Strategies;

public class StrategyTests
{
    private static string Mask(string text, MaskingRule rule) =>
        Masker.Engine(new MaskingPolicy { Rules = [rule] }).MaskText(text, MaskingScope.Gateway, MaskingAudience.Storage).Text;

    [Fact]
    public void Defaults_SsnAndCardKeepLastFour_SecretsRedacted()
    {
        var text = "SSN 123-45-6789, card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE";
        var masked = Masker.Defaults.MaskText(text, MaskingScope.Gateway, MaskingAudience.Storage).Text;
        Assert.Equal("SSN ***-**-6789, card **** **** **** 1111, key [AWS_ACCESS_KEY]", masked);
    }

    [Theory]
    [InlineData(2, "SSN ***-**-**89")]
    [InlineData(8, "SSN ***-**-6789")] // never more than half of the digits
    public void Partial_KeepsLastN_PreservesDelimiters(int keep, string expected) =>
        Assert.Equal(expected, Mask("SSN 123-45-6789", new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Partial, KeepLast = keep }));

    [Fact]
    public void Token_IsStableAndKeyed()
    {
        var rule = new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Token };
        var first = Mask("123-45-6789", rule);
        Assert.Matches("^tok_ssn_[0-9a-f]{16}$", first);
        Assert.Equal(first, Mask("123-45-6789", rule));
        Assert.NotEqual(first, Mask("123-45-6780", rule));
        var otherKey = MaskingEngine.Create(new MaskingPolicy { Rules = [rule] }, new byte[32], null);
        Assert.NotEqual(first, otherKey.MaskText("123-45-6789", MaskingScope.Gateway, MaskingAudience.Storage).Text);
    }

    [Fact]
    public void Hash_IsSha256Prefix() =>
        Assert.Matches("^sha256:[0-9a-f]{16}$", Mask("123-45-6789", new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Hash }));

    [Fact]
    public void None_LeavesValueButCountsItAsRevealed()
    {
        var engine = Masker.Engine(new MaskingPolicy { Rules = [new MaskingRule { Entity = "ip_address", Strategy = MaskingStrategy.None }] });
        var result = engine.MaskText("from 10.1.2.3", MaskingScope.Gateway, MaskingAudience.Storage);
        Assert.Equal("from 10.1.2.3", result.Text);
        Assert.Equal(1, result.Report.Revealed["ip_address"]);
        Assert.Empty(result.Report.Masked);
    }
}
