using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Tests.Secrets;

public sealed class EnvironmentSecretResolverTests
{
    private readonly EnvironmentSecretResolver resolver = new(new Dictionary<string, string> { ["CRM_TOKEN"] = "t", ["EMPTY"] = "" });

    [Theory]
    [InlineData("CRM_TOKEN", "t")]
    [InlineData("EMPTY", "")]
    public void Resolve_SetVariable_ReturnsItsValue(string name, string expected)
    {
        Assert.Equal(expected, resolver.Resolve(new SecretReference("env", name)).Reveal());
    }

    [Theory]
    [InlineData("MISSING", "environment variable MISSING is not set; set it or change the reference")]
    [InlineData("crm_token", "environment variable crm_token is not set; set it or change the reference")]
    [InlineData("A-B", "\"A-B\" in ${env:A-B} is not an environment variable name; use letters, digits and underscores, e.g. ${env:CRM_TOKEN}")]
    public void Resolve_UnusableName_FailsWithReason(string name, string expected)
    {
        Assert.Equal(expected, resolver.Resolve(new SecretReference("env", name)).FailureReason);
    }
}
