using Proctor.Policy.Rules;

namespace Proctor.Policy.Tests.Rules;

public sealed class GlobTests
{
    [Theory]
    [InlineData("search_*", "search_customers", true)]
    [InlineData("search_*", "search_", true)]
    [InlineData("search_*", "Search_customers", false)]
    [InlineData("*_read", "balance_read", true)]
    [InlineData("get_?", "get_a", true)]
    [InlineData("get_?", "get_😀", true)]
    [InlineData("get_?", "get_ab", false)]
    [InlineData("bank://customers/*", "bank://customers/C1", true)]
    [InlineData("bank://customers/*", "bank://customers/C1/notes", false)]
    [InlineData("bank://customers/**", "bank://customers/C1/notes", true)]
    [InlineData("**", "a/b/c", true)]
    [InlineData("*", "a/b", false)]
    [InlineData("file\\*", "file*", true)]
    [InlineData("file\\*", "files", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("run_sql", "run_sql", true)]
    [InlineData("run_sql", "run_sql ", false)]
    [InlineData("a*b*c", "aXbYc", true)]
    [InlineData("a*b*c", "abcab", false)]
    [InlineData("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)]
    [InlineData("x://**/notes", "x://a/b/notes", true)]
    [InlineData("x://*/notes", "x://a/b/notes", false)]
    public void Matches_Pattern_Ordinal(string pattern, string name, bool matches) =>
        Assert.Equal(matches, Glob.Parse(pattern, folded: false, out _)!.Matches(name));

    [Theory]
    [InlineData("transfer_*", "TRANSFER_FUNDS")]
    [InlineData("TRANSFER_FUNDS", "transfer_funds")]
    [InlineData("transfer_funds", "ｔｒａｎｓｆｅｒ_funds")]
    [InlineData("transfer_funds", "trans\u200Bfer_funds")]
    [InlineData("transfer_funds", "tran\u017Ffer_funds")]
    [InlineData("*_funds", "\uFB00_funds")]
    public void Matches_FoldedGlob_CoversCaseWidthAndInvisibleVariants(string pattern, string name) =>
        Assert.True(Glob.Parse(pattern, folded: true, out _)!.Matches(NameFold.Fold(name)));

    [Theory]
    [InlineData("", "an empty pattern matches nothing; write a name or \"*\"")]
    [InlineData(" run_sql", "the pattern starts or ends with spaces; remove them")]
    [InlineData("***", "'***' is not a pattern; use '*' (within one path segment) or '**' (across '/')")]
    [InlineData("get_[ab]", "'[' is reserved in patterns (character classes and alternatives are not supported); list each name, or escape it as '\\['")]
    [InlineData("{a,b}", "'{' is reserved in patterns (character classes and alternatives are not supported); list each name, or escape it as '\\{'")]
    [InlineData("trailing\\", "the pattern ends with a lone '\\'; write '\\\\' for a backslash")]
    [InlineData("a\u0001b", "the pattern holds a control character")]
    public void Parse_InvalidPattern_SaysWhy(string pattern, string error)
    {
        Assert.Null(Glob.Parse(pattern, folded: false, out var message));
        Assert.Equal(error, message);
    }

    [Fact]
    public void Matches_LongNameAgainstManyWildcards_IsLinear()
    {
        var glob = Glob.Parse(string.Concat(Enumerable.Repeat("*a", 50)) + "b", folded: false, out _)!;
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.False(glob.Matches(new string('a', 10_000)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }
}
