using Proctor.Mcp.Routing;

namespace Proctor.Mcp.Tests.Routing;

public sealed class ResourceRoutesTests
{
    [Fact]
    public void Find_RememberedUri_ReturnsItsServer()
    {
        var routes = new ResourceRoutes();
        routes.RememberResource("file:///reports/q1.pdf", "docs");
        routes.RememberResource("bank://customers/42", "bank");

        Assert.Equal("docs", routes.Find("file:///reports/q1.pdf"));
        Assert.Equal("bank", routes.Find("bank://customers/42"));
    }

    [Theory]
    [InlineData("file:///reports/q2.pdf")]
    [InlineData("file:///reports/Q1.pdf")]
    [InlineData("file:///reports/q1.pdf?x")]
    [InlineData("")]
    public void Find_UnknownUri_IsNull(string uri)
    {
        var routes = new ResourceRoutes();
        routes.RememberResource("file:///reports/q1.pdf", "docs");

        Assert.Null(routes.Find(uri));
    }

    [Fact]
    public void RememberResource_SameUriFromTwoServers_FirstKeepsIt()
    {
        var routes = new ResourceRoutes();
        routes.RememberResource("mem://shared", "first");
        routes.RememberResource("mem://shared", "second");

        Assert.Equal("first", routes.Find("mem://shared"));
    }

    [Theory]
    [InlineData("bank://customers/{id}", "bank://customers/42", true)]
    [InlineData("bank://customers/{id}", "bank://customers/42/accounts", true)]
    [InlineData("bank://customers/{id}", "bank://customers/", false)]
    [InlineData("bank://customers/{id}", "bank://accounts/42", false)]
    [InlineData("bank://customers/{id}", "xbank://customers/42", false)]
    [InlineData("db://{schema}/{table}", "db://public/users", true)]
    [InlineData("db://{schema}/{table}", "db://public", false)]
    [InlineData("file:///tmp/a.b/{name}", "file:///tmp/a.b/notes.txt", true)]
    [InlineData("file:///tmp/a.b/{name}", "file:///tmp/aXb/notes.txt", false)]
    [InlineData("search://q{?term,page}", "search://q?term=x&page=2", true)]
    [InlineData("search://q{?term,page}", "search://r?term=x", false)]
    [InlineData("weather://(city)/{day}", "weather://(city)/mon", true)]
    public void Find_Template_MatchesAnyRunOfCharactersPerExpression(string template, string uri, bool matches)
    {
        var routes = new ResourceRoutes();
        routes.RememberTemplate(template, "owner");

        Assert.Equal(matches ? "owner" : null, routes.Find(uri));
    }

    [Fact]
    public void Find_UriListedExactlyAndByTemplate_ExactWins()
    {
        var routes = new ResourceRoutes();
        routes.RememberTemplate("bank://customers/{id}", "templated");
        routes.RememberResource("bank://customers/42", "exact");

        Assert.Equal("exact", routes.Find("bank://customers/42"));
        Assert.Equal("templated", routes.Find("bank://customers/43"));
    }

    [Fact]
    public void RememberTemplate_SameTemplateFromTwoServers_FirstKeepsIt()
    {
        var routes = new ResourceRoutes();
        routes.RememberTemplate("mem://{key}", "first");
        routes.RememberTemplate("mem://{key}", "second");

        Assert.Equal("first", routes.Find("mem://k"));
    }
}
