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
        Assert.True(Engine.RevealsAnythingTo(["tellers", "fraud"]));
        Assert.False(Engine.RevealsAnythingTo(["tellers"]));
        Assert.False(Engine.RevealsAnythingTo([]));
    }

    /// <summary>Every list of up to three groups from near misses and the groups rules name (in the base rules and in an override).</summary>
    [Fact]
    public void RevealsAnythingTo_EveryGroupList_AsTheRulesSay_WithoutAllocating()
    {
        var engine = Masker.Engine(Policy with
        {
            Overrides = [.. Policy.Overrides, new ScopeOverride("crm", null, [new MaskingRule { Field = "dob", RevealTo = ["audit", "kyc team"] }])],
        });
        string[] revealed = ["fraud", "audit", "kyc team"];
        string[] universe = ["fraud", "audit", "kyc team", "Fraud", "fraud ", "kyc", "tellers", "", "frau"];
        List<string[]> lists = [[], [.. Enumerable.Range(0, 300).Select(i => $"group-{i}")], [.. Enumerable.Range(0, 300).Select(i => $"group-{i}"), "audit"]];
        foreach (var a in universe)
        {
            lists.Add([a]);
            foreach (var b in universe)
            {
                lists.Add([a, b]);
                lists.AddRange(universe.Select(c => new[] { a, b, c }));
            }
        }

        var answers = new bool[lists.Count];
        engine.RevealsAnythingTo(lists[1]);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < lists.Count; i++)
        {
            answers[i] = engine.RevealsAnythingTo(lists[i]);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        for (var i = 0; i < lists.Count; i++)
        {
            Assert.True(lists[i].Any(revealed.Contains) == answers[i], $"[{string.Join(", ", lists[i])}]");
        }
        Assert.Equal(0, allocated);
        Assert.False(Masker.Engine(new MaskingPolicy { Rules = [new MaskingRule { Field = "notes" }] }).RevealsAnythingTo(universe));
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
