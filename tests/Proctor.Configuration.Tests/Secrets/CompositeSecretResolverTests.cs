using Proctor.Configuration.Secrets;

namespace Proctor.Configuration.Tests.Secrets;

public sealed class CompositeSecretResolverTests
{
    [Fact]
    public void Resolve_EachScheme_GoesToItsResolver()
    {
        var a = new FakeSecretResolver("a", new() { ["x"] = "from-a" });
        var b = new FakeSecretResolver("b", new() { ["x"] = "from-b" });
        var composite = new CompositeSecretResolver(a, b);

        Assert.Equal(["a", "b"], composite.Schemes);
        Assert.Equal("from-a", composite.Resolve(new SecretReference("a", "x")).Reveal());
        Assert.Equal("from-b", composite.Resolve(new SecretReference("b", "x")).Reveal());
        Assert.Equal("no resolver serves \"c\" in ${c:x}", composite.Resolve(new SecretReference("c", "x")).FailureReason);
    }

    [Fact]
    public void Constructor_TwoResolversForOneScheme_Throws()
    {
        var exception = Assert.Throws<ArgumentException>(() => new CompositeSecretResolver(
            new FakeSecretResolver("env", []),
            new EnvironmentSecretResolver(new Dictionary<string, string>())));

        Assert.StartsWith("Two resolvers serve the scheme \"env\"", exception.Message, StringComparison.Ordinal);
    }
}
