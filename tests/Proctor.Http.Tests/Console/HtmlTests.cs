using System.Text.RegularExpressions;
using Proctor.Http.Console;

namespace Proctor.Http.Tests.Console;

/// <summary>Values from the ledger reach the console's pages; none of them may become markup, in text or in an attribute.</summary>
public sealed partial class HtmlTests
{
    public static TheoryData<string> Hostile =>
    [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(1)>",
        "' onmouseover='alert(1)",
        "</p><p>",
        "&lt;already&gt;",
        "javascript:alert(1)",
        "\u2028<svg/onload=alert(1)>",
        "a\"b'c<d>e&f",
    ];

    [Theory]
    [MemberData(nameof(Hostile))]
    public void TextAndAttributeValues_NeverBecomeMarkup(string value)
    {
        var html = new Html().Element("p", value, "title", value, "data-id", value).ToString();

        // Exactly one element, whose only quotes delimit its two attributes, whatever the value held.
        Assert.Equal(2, html.Count(c => c == '<'));
        Assert.Equal(2, html.Count(c => c == '>'));
        Assert.Equal(4, html.Count(c => c == '"'));
        Assert.DoesNotContain('\'', html);
        Assert.Matches(ElementShape(), html);
    }

    [Fact]
    public void RandomStrings_NeverBecomeMarkup()
    {
        var random = new Random(1405);
        const string alphabet = "<>\"'&=/ ab\u00e9\u2028`;:()";
        for (var i = 0; i < 2000; i++)
        {
            var value = new string([.. Enumerable.Range(0, random.Next(0, 24)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var html = new Html().Element("td", value, "title", value).ToString();
            Assert.True(html.Count(c => c == '<') == 2 && html.Count(c => c == '"') == 2 && !html.Contains('\''), $"'{value}' became {html}");
        }
    }

    [Fact]
    public void ANullAttributeValue_LeavesTheAttributeOut()
    {
        Assert.Equal("<a href=\"/console\">x</a>", new Html().Element("a", "x", "href", "/console", "aria-current", null).ToString());
    }

    [Fact]
    public void AnElementLeftOpen_IsABug_NotAPage()
    {
        Assert.Throws<InvalidOperationException>(() => new Html().Open("main").ToString());
    }

    [GeneratedRegex("^<p title=\"[^\"<>']*\" data-id=\"[^\"<>']*\">[^\"<>']*</p>$")]
    private static partial Regex ElementShape();
}
