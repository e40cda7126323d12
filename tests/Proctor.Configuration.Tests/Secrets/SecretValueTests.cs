using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Tests.Secrets;

public sealed class SecretValueTests
{
    [Fact]
    public void ToString_Always_HidesTheValue()
    {
        var value = new SecretValue("Bearer ${env:CRM_TOKEN}", "Bearer s3cret");

        Assert.Equal("***", value.ToString());
        Assert.Equal("***", $"{value}");
        Assert.Equal("Bearer s3cret", value.Reveal());
        Assert.Equal("Bearer ${env:CRM_TOKEN}", value.Reference);
    }

    [Fact]
    public void Literal_Value_IsItsOwnReference()
    {
        var value = SecretValue.Literal("bank-a");

        Assert.Equal("bank-a", value.Reference);
        Assert.Equal("bank-a", value.Reveal());
        Assert.Equal("***", value.ToString());
    }

    [Fact]
    public void ToString_SecretResolution_HidesTheValue()
    {
        Assert.Equal("resolved (***)", SecretResolution.Resolved("s3cret").ToString());
        Assert.Equal("failed: not there", SecretResolution.Failed("not there").ToString());
        Assert.Throws<InvalidOperationException>(() => SecretResolution.Failed("not there").Reveal());
    }
}
