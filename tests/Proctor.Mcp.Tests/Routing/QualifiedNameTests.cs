using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Tests.Routing;

public sealed class QualifiedNameTests
{
    [Theory]
    [InlineData("bank__search_customers", "bank", "search_customers")]
    [InlineData("bank__a__b", "bank", "a__b")]
    [InlineData("bank___private", "bank", "_private")]
    [InlineData("b__x", "b", "x")]
    [InlineData("core-banking-2__get", "core-banking-2", "get")]
    public void TrySplit_QualifiedName_SplitsAtTheFirstSeparator(string qualified, string server, string name)
    {
        Assert.True(QualifiedName.TrySplit(qualified, out var actualServer, out var actualName));
        Assert.Equal((server, name), (actualServer, actualName));
    }

    [Theory]
    [InlineData("")]
    [InlineData("search")]
    [InlineData("bank_search")]
    [InlineData("__search")]
    [InlineData("bank__")]
    [InlineData("__")]
    public void TrySplit_NotQualified_Fails(string qualified)
    {
        Assert.False(QualifiedName.TrySplit(qualified, out _, out _));
    }

    [Fact]
    public void Join_ServerAndName_UsesDoubleUnderscore()
    {
        Assert.Equal("bank__search_customers", QualifiedName.Join("bank", "search_customers"));
    }

    [Theory]
    [InlineData("bank", "search_customers")]
    [InlineData("crm", "__dunder__")]
    [InlineData("x", "a")]
    public void JoinThenSplit_ServerWithoutUnderscore_RoundTrips(string server, string name)
    {
        Assert.True(QualifiedName.TrySplit(QualifiedName.Join(server, name), out var s, out var n));
        Assert.Equal((server, name), (s, n));
    }
}
