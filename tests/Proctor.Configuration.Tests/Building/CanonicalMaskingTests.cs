using Proctor.Configuration.Tests.Secrets;
using static Proctor.Configuration.Tests.Loading;

namespace Proctor.Configuration.Tests.Building;

public sealed class CanonicalMaskingTests
{
    private const string Section = """
        masking:
          rules: [{ entity: ssn, strategy: partial, keepLast: 4, revealTo: [b, a] }]
          denyLists: [{ name: project, terms: ["${file:codenames.txt}"] }]
        """;

    private static string HashOf(string yaml, string codename = "Nightjar") =>
        Model(yaml, secrets: new FakeSecretResolver("file", new Dictionary<string, string> { ["codenames.txt"] = codename })).Hash;

    [Fact]
    public void Hash_EmptySection_IsTheHashWithoutOne()
    {
        Assert.Equal(HashOf(""), HashOf("masking: {}"));
        Assert.Equal(HashOf(""), HashOf("masking: { timeBudget: 1000ms, rules: [] }"));
    }

    [Theory]
    [InlineData("strategy: partial", "strategy: token")]
    [InlineData("keepLast: 4", "keepLast: 5")]
    [InlineData("revealTo: [b, a]", "revealTo: [b]")]
    [InlineData("name: project", "name: projects")]
    [InlineData("\"${file:codenames.txt}\"", "Nightjar")]
    public void Hash_ChangedMaskingSetting_Changes(string from, string to)
    {
        Assert.NotEqual(HashOf(Section), HashOf(Section.Replace(from, to, StringComparison.Ordinal)));
    }

    [Fact]
    public void Hash_DependsOnTheReferenceNotTheResolvedTerm()
    {
        Assert.Equal(HashOf(Section, "Nightjar"), HashOf(Section, "Kestrel"));
        Assert.Equal(HashOf(Section), HashOf(Section.Replace("[b, a]", "[a, b]", StringComparison.Ordinal)));
    }
}
