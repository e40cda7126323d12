using Proctor.Configuration.Rules;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Validation;

public sealed class UpstreamNameValidatorTests
{
    private const string Rule = "is not a valid upstream name; names become tool prefixes ({server}__{tool}), so they may hold only lower-case letters, digits and hyphens (no underscores), 1 to 32 characters, starting with a letter or digit; use";

    [Theory]
    [InlineData("crm")]
    [InlineData("a")]
    [InlineData("0day")]
    [InlineData("core-banking-2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Validate_ValidName_IsAccepted(string name)
    {
        Assert.Contains(name, Model($"upstreams: {{ {name}: {{ command: npx }} }}").Upstreams.Keys);
    }

    [Theory]
    [InlineData("my_server", "my-server")]
    [InlineData("CRM", "crm")]
    [InlineData("-crm", "crm")]
    [InlineData("core.banking", "core-banking")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", "abcdefghijklmnopqrstuvwxyz012345")]
    [InlineData("\"__\"", "crm")]
    public void Validate_InvalidName_ExplainsThePrefixRuleAndSuggestsOne(string name, string suggestion)
    {
        var written = name.Trim('"');

        Assert.Equal([$"upstreams.{written}: \"{written}\" {Rule} \"{suggestion}\""], Errors($"upstreams: {{ {name}: {{ command: npx }} }}"));
    }

    [Fact]
    public void Validate_TheGatewaysOwnPrefix_IsRefusedWithAnotherName()
    {
        Assert.Equal(["upstreams.proctor: \"proctor\" is reserved for the gateway's own tools (proctor__request_access, decision 0045), so an upstream cannot use it; rename the upstream, e.g. \"proctor-tools\""],
            Errors("upstreams: { proctor: { command: npx } }"));
        Assert.Contains("proctor-tools", Model("upstreams: { proctor-tools: { command: npx } }").Upstreams.Keys);
    }

    [Fact]
    public void Suggest_LongRunOfInvalidCharacters_CollapsesToOneHyphen()
    {
        Assert.Equal("a-b", UpstreamNameRule.Suggest("A__..__B"));
    }
}
