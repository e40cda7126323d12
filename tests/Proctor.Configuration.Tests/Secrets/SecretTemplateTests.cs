using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Tests.Secrets;

public sealed class SecretTemplateTests
{
    [Theory]
    [InlineData("plain", "plain", new string[0])]
    [InlineData("${env:A}", "[A]", new[] { "${env:A}" })]
    [InlineData("Bearer ${env:A}!", "Bearer [A]!", new[] { "${env:A}" })]
    [InlineData("${env:A}${file:/run/secrets/b}", "[A][/run/secrets/b]", new[] { "${env:A}", "${file:/run/secrets/b}" })]
    [InlineData("cost: $5 and $${env:A}", "cost: $5 and ${env:A}", new string[0])]
    [InlineData("$", "$", new string[0])]
    [InlineData("${aws-ssm:/prod/crm:token}", "[/prod/crm:token]", new[] { "${aws-ssm:/prod/crm:token}" })]
    public void TryParse_ValidText_SplitsLiteralsAndReferences(string text, string rendered, string[] references)
    {
        Assert.True(SecretTemplate.TryParse(text, out var template, out var problem), problem);

        Assert.Equal(text, template.Text);
        Assert.Equal(references, template.References.Select(reference => reference.ToString()));
        Assert.Equal(references.Length > 0, template.HasReferences);
        Assert.Equal(rendered, template.Render(reference => $"[{reference.Name}]"));
    }

    [Theory]
    [InlineData("--token=${env:T}", true)]
    [InlineData("${file:/x}", true)]
    [InlineData("$${env:T}", false)]
    [InlineData("${HOME}", false)]
    [InlineData("${vault:x}", false)]
    public void MentionsReference_Text_FindsOnlyKnownSchemes(string text, bool expected)
    {
        Assert.Equal(expected, SecretTemplate.MentionsReference(text, ["env", "file"]));
    }
}
