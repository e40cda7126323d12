using Proctor.Policy.Rules;

namespace Proctor.Policy.Tests.Rules;

public sealed class NameFoldTests
{
    [Theory]
    [InlineData("transfer_funds", "transfer_funds")]
    [InlineData("Transfer_Funds", "transfer_funds")]
    [InlineData("ＴＲＡＮＳＦＥＲ", "transfer")]
    [InlineData("a\u00ADb\u200Dc\uFEFFd", "abcd")]
    [InlineData("\u017F\u0131\u212A", "sik")]
    [InlineData("\uFB01le", "file")]
    [InlineData("Überweisung", "überweisung")]
    public void Fold_Variants_FoldToTheSameName(string name, string folded) => Assert.Equal(folded, NameFold.Fold(name));

    [Fact]
    public void Fold_PlainLowercaseAscii_ReturnsTheSameInstance()
    {
        var name = "search_customers";

        Assert.Same(name, NameFold.Fold(name));
    }

    [Theory]
    [InlineData("transfer_funds", false)]
    [InlineData("getUser", false)]
    [InlineData("überweisung", false)]
    [InlineData("顧客検索", false)]
    [InlineData("bank://customers/C1", false)]
    [InlineData("transfer\u200B_funds", true)]
    [InlineData("transfer_funds\u0000", true)]
    [InlineData("ｔransfer", true)]
    [InlineData("tran\u017Ffer", true)]
    [InlineData("d\u0131sable", true)]
    [InlineData("\u212Aill", true)]
    [InlineData("\uFB01le", true)]
    [InlineData("a\u202Eb", true)]
    public void IsDisguised_InvisibleOrAsciiLookalike_True(string name, bool disguised) => Assert.Equal(disguised, NameFold.IsDisguised(name));
}
