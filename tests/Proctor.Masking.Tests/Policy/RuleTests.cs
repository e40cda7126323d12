using System.Text.Json.Nodes;
using Proctor.Masking.Policy;

namespace Proctor.Masking.Tests.Policy;

public class RuleTests
{
    private static readonly MaskingPolicy Policy = new()
    {
        Rules =
        [
            new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Redact, RevealTo = ["fraud"] },
            new MaskingRule { Field = "notes" },
            new MaskingRule { Path = "customer.nickname", Strategy = MaskingStrategy.Hash },
        ],
        Overrides =
        [
            new ScopeOverride("bank", null, [new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Partial, KeepLast = 4 }]),
            new ScopeOverride("bank", "get_statement", [new MaskingRule { Entity = "ssn", Strategy = MaskingStrategy.Token }]),
        ],
    };

    private static readonly MaskingEngine Engine = Masker.Engine(Policy);

    [Theory]
    [InlineData(null, null, "[SSN]")]
    [InlineData("crm", null, "[SSN]")]
    [InlineData("bank", null, "***-**-6789")]
    [InlineData("bank", "search", "***-**-6789")]
    [InlineData("bank", "get_statement", "tok_ssn_")]
    public void Overrides_NarrowestScopeWins(string? server, string? tool, string expectedStart) =>
        Assert.StartsWith(expectedStart, Engine.MaskText("123-45-6789", new MaskingScope(server, tool), MaskingAudience.Storage).Text);

    [Fact]
    public void RevealTo_CallerInGroup_SeesValue_StorageNever()
    {
        var forFraud = Engine.MaskText("123-45-6789", MaskingScope.Gateway, MaskingAudience.Caller(["tellers", "fraud"]));
        var forTeller = Engine.MaskText("123-45-6789", MaskingScope.Gateway, MaskingAudience.Caller(["tellers"]));
        var stored = Engine.MaskText("123-45-6789", MaskingScope.Gateway, MaskingAudience.Storage);
        Assert.Equal("123-45-6789", forFraud.Text);
        Assert.Equal(1, forFraud.Report.Revealed["ssn"]);
        Assert.Equal("[SSN]", forTeller.Text);
        Assert.Equal("[SSN]", stored.Text);
    }

    [Fact]
    public void RevealsAnythingTo_OnlyAudiencesARuleNames()
    {
        Assert.True(Engine.RevealsAnythingTo(MaskingAudience.Caller(["tellers", "fraud"])));
        Assert.False(Engine.RevealsAnythingTo(MaskingAudience.Caller(["tellers"])));
        Assert.False(Engine.RevealsAnythingTo(MaskingAudience.Storage));
    }

    [Fact]
    public void FieldRule_MasksWholeValue_WhateverItHolds()
    {
        var result = Masker.MaskNode("""{"Notes":"called about her loan","note":"x"}""", Engine);
        Assert.Equal("""{"Notes":"[FIELD]","note":"x"}""", result.Node!.ToJsonString());
        Assert.Equal(1, result.Report.Masked["field"]);
    }

    [Fact]
    public void FieldRule_MatchesLongFieldNames()
    {
        var name = "customer_" + new string('x', 200);
        var engine = Masker.Engine(new MaskingPolicy { Rules = [new MaskingRule { Field = name }] });
        var result = Masker.MaskNode($$"""{"{{name}}":"called about her loan"}""", engine);
        Assert.Equal("[FIELD]", result.Node![name]!.GetValue<string>());
    }

    [Fact]
    public void PathRule_MatchesPathEnding_IgnoringArrays()
    {
        var node = JsonNode.Parse("""{"result":{"customers":[{"customer":{"nickname":"Bob"}}],"nickname":"Al"}}""");
        var masked = Engine.MaskJson(node, MaskingScope.Gateway, MaskingAudience.Storage).Node!;
        Assert.StartsWith("sha256:", masked["result"]!["customers"]![0]!["customer"]!["nickname"]!.GetValue<string>());
        Assert.Equal("Al", masked["result"]!["nickname"]!.GetValue<string>());
    }
}
