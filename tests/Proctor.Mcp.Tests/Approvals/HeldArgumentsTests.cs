using System.Text.Json.Nodes;
using Proctor.Mcp.Approvals;
using Proctor.Mcp.Pipeline.Evidence;
using Proctor.Mcp.Tests.Pipeline;

namespace Proctor.Mcp.Tests.Approvals;

/// <summary>A held call's arguments, read by approvers as their own groups may see them, only while the call is held.</summary>
public sealed class HeldArgumentsTests
{
    private static readonly MaskingScope Bank = new("bank", "transfer_funds");

    private static JsonObject Call(string ssn = WordMasker.Ssn, string extra = "") =>
        Json.Object($"{{'jsonrpc':'2.0','id':7,'method':'tools/call','params':{{'name':'transfer_funds','arguments':{{'amount':25000,'ssn':'{ssn}'{extra}}}}}}}");

    [Theory]
    [InlineData(new[] { WordMasker.RevealedGroup }, WordMasker.Ssn)]
    [InlineData(new[] { "supervisors", WordMasker.RevealedGroup }, WordMasker.Ssn)]
    [InlineData(new[] { "supervisors" }, "[SSN]")]
    [InlineData(new string[0], "[SSN]")]
    public void For_WhileHeld_MaskedForTheReadersGroups(string[] groups, string expected)
    {
        var held = new HeldArguments(new WordMasker());
        using var shown = held.Show("apr_1", Call(), Bank);

        var arguments = held.For("apr_1", groups);

        Assert.Equal(expected, (string?)arguments!["ssn"]);
        Assert.Equal(25000, (int)arguments["amount"]!);
    }

    [Fact]
    public void For_OtherRequestOrAfterTheHold_Nothing()
    {
        var held = new HeldArguments(new WordMasker());
        var shown = held.Show("apr_1", Call(), Bank);

        Assert.Null(held.For("apr_2", [WordMasker.RevealedGroup]));
        shown.Dispose();
        shown.Dispose(); // a second dispose must not hide another holder's arguments
        Assert.Null(held.For("apr_1", [WordMasker.RevealedGroup]));
    }

    [Fact]
    public void For_TwoIdenticalCallsHeldOnOneRequest_ShownUntilTheLastHoldEnds()
    {
        var held = new HeldArguments(new WordMasker());
        var first = held.Show("apr_1", Call(), Bank);
        var second = held.Show("apr_1", Call(), Bank);

        first.Dispose();
        first.Dispose();
        Assert.NotNull(held.For("apr_1", []));
        second.Dispose();
        Assert.Null(held.For("apr_1", []));
    }

    [Fact]
    public void Show_TheCallersMessageChangesLater_TheHeldCopyDoesNot()
    {
        var held = new HeldArguments(new WordMasker());
        var call = Call();
        using var shown = held.Show("apr_1", call, Bank);

        call["params"]!["arguments"]!["amount"] = 1;

        Assert.Equal(25000, (int)held.For("apr_1", [])!["amount"]!);
    }

    [Fact]
    public void For_ArgumentsCannotBeMasked_NothingRatherThanUnmasked()
    {
        var held = new HeldArguments(new WordMasker());
        using var shown = held.Show("apr_1", Call(extra: $",'memo':'{WordMasker.Poison}'"), Bank);

        Assert.Null(held.For("apr_1", []));
    }
}
