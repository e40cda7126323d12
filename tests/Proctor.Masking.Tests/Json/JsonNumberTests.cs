using System.Text.Json.Nodes;

namespace Proctor.Masking.Tests.Json;

/// <summary>Which JSON numbers masking reads (and may turn into strings): docs/masking.md, "JSON numbers".</summary>
public class JsonNumberTests
{
    private static string MaskBoth(string json)
    {
        var node = Masker.MaskNode(json).Node!.ToJsonString();
        var stream = Masker.MaskStream(json).Json;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(node), JsonNode.Parse(stream)), $"node {node}\nstream {stream}");
        return node;
    }

    [Theory]
    [InlineData("""{"value":4539148803436467}""", """{"value":"[CARD]"}""")]
    [InlineData("""{"items":[378282246310005,1]}""", """{"items":["[CARD]",1]}""")]
    [InlineData("""{"ssn":514241098}""", """{"ssn":"[SSN]"}""")]
    [InlineData("""{"accountNumber":12345678901}""", """{"accountNumber":"[BANK_ACCOUNT]"}""")]
    [InlineData("""{"routing":121000248}""", """{"routing":"[ABA_ROUTING]"}""")]
    [InlineData("""{"phone":2125550143}""", """{"phone":"[PHONE]"}""")]
    public void IdentifierNumber_BecomesAMaskedString(string json, string expected) => Assert.Equal(expected, MaskBoth(json));

    [Theory]
    [InlineData("""{"value":4539148803436468}""")]        // Luhn fails
    [InlineData("""{"value":1712345678901}""")]           // epoch milliseconds: no issuer starts with 1
    [InlineData("""{"value":4539148803436467.5}""")]      // not an integer
    [InlineData("""{"value":-4539148803436467}""")]       // signed
    [InlineData("""{"value":4.539148803436467e15}""")]    // exponent form
    [InlineData("""{"value":45391488034364670001}""")]    // 20 digits
    [InlineData("""{"value":514241098}""")]               // nine digits need a telling name
    [InlineData("""{"jsonrpc":"2.0","id":4539148803436467,"result":{}}""")] // the JSON-RPC id is never masked
    public void OtherNumber_IsLeftAlone(string json) => Assert.Equal(json, MaskBoth(json));
}
