using System.Text.Json.Nodes;

namespace Proctor.Masking.Tests.Json;

/// <summary>Member names (JSON object keys) are masked on both paths; masked names never collide with a sibling.</summary>
public class MemberNameTests
{
    private static (string Node, string Stream) MaskBoth(string json, MaskingEngine? engine = null)
    {
        var node = Masker.MaskNode(json, engine).Node!.ToJsonString();
        var stream = Masker.MaskStream(json, engine).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(node), JsonNode.Parse(stream)), $"node {node}\nstream {stream}");
        return (node, stream);
    }

    [Fact]
    public void SensitiveKey_IsMasked_OnBothPaths()
    {
        var (node, stream) = MaskBoth("""{"customers":{"514-24-1098":{"status":"active"}}}""");
        Assert.Equal("""{"customers":{"[SSN]":{"status":"active"}}}""", node);
        Assert.Equal("""{"customers":{"[SSN]":{"status":"active"}}}""", stream);
    }

    [Fact]
    public void BareKey_TakesContextFromTheFieldHoldingTheObject()
    {
        var (node, _) = MaskBoth("""{"ssns":{"514241098":1},"ids":{"514241098":2}}""");
        Assert.Equal("""{"ssns":{"[SSN]":1},"ids":{"514241098":2}}""", node);
    }

    [Fact]
    public void MaskedKeys_CollidingWithEachOtherOrASibling_GetASuffix()
    {
        const string json = """{"a":{"514-24-1098":1,"[SSN]":2,"515-25-1105":3,"[SSN]#2":4}}""";
        var (node, stream) = MaskBoth(json);
        Assert.Equal("""{"a":{"[SSN]#3":1,"[SSN]":2,"[SSN]#4":3,"[SSN]#2":4}}""", node);
        Assert.Equal(node, stream);
    }

    [Fact]
    public void MaskedKeys_InNestedJsonText_AreUniqueToo()
    {
        const string json = """{"content":[{"type":"text","text":"{\"514-24-1098\":1,\"515-25-1105\":2}"}]}""";
        var (node, _) = MaskBoth(json);
        Assert.Equal("""{"[SSN]":1,"[SSN]#2":2}""", JsonNode.Parse(node)!["content"]![0]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void KeyCounts_AreReported_AndEqualOnBothPaths()
    {
        const string json = """{"r":[{"514-24-1098":{"card":"4539148803436467"}},{"514-24-1098":{}}]}""";
        var node = Masker.MaskNode(json).Report;
        var stream = Masker.MaskStream(json).Report;
        Assert.Equal(2, node.Masked["ssn"]);
        Assert.Equal(node.Masked.OrderBy(p => p.Key), stream.Masked.OrderBy(p => p.Key));
    }

    /// <summary>Short names skip the scan unless they hold a digit, @, :, % or non-ASCII; the shortest credentials without them still count.</summary>
    [Theory]
    [InlineData("""{"h":{"Basic dXNlcjpw":1}}""", """{"h":{"Basic [AUTH_HEADER]":1}}""")]
    [InlineData("""{"h":{"eyJhIjoxfQ.ab.":1}}""", """{"h":{"[JWT]":1}}""")]
    [InlineData("""{"h":{"jane@example.com":1}}""", """{"h":{"[EMAIL]":1}}""")]
    [InlineData("""{"h":{"dead::beef":1}}""", """{"h":{"[IP_ADDRESS]":1}}""")]
    [InlineData("""{"h":{"５１４-２４-１０９８":1}}""", """{"h":{"[SSN]":1}}""")]
    public void ShortestValuesWithoutDigits_AreFoundAsNames(string json, string expected) => Assert.Equal(expected, MaskBoth(json).Node);

    [Fact]
    public void EnvelopeNames_AndCleanKeys_KeepTheirBytes()
    {
        const string json = """{"jsonrpc":"2.0","id":1,"result":{"created_at":"x","account_2":"y"}}""";
        Assert.Equal(json, Masker.MaskStream(json).Json);
    }

    [Fact]
    public void RepeatedKeyNames_UnderDifferentHolders_AreJudgedByEachHolder()
    {
        // The streaming path caches a name found clean; the same name under a telling holder must still be masked.
        const string json = """{"ids":{"514241098":1},"ssns":{"514241098":2},"more_ids":{"514241098":3}}""";
        var (node, stream) = MaskBoth(json);
        Assert.Equal("""{"ids":{"514241098":1},"ssns":{"[SSN]":2},"more_ids":{"514241098":3}}""", stream);
        Assert.Equal(stream, node);
    }
}
