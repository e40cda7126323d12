using System.Text;
using System.Text.Json.Nodes;

namespace Proctor.Masking.Tests.Json;

public class JsonMaskingTests
{
    private const string ToolResult = """
        {"jsonrpc":"2.0","id":"123-45-6789","method":"tools/call","result":{
          "content":[{"type":"text","text":"{\"ssn\":\"123456789\",\"routing_number\":\"021000021\",\"memo\":\"ok\"}"},
                     {"type":"text","text":"Customer SSN 123-45-6789 called from 212-555-0143"}],
          "structuredContent":{"customer":{"accountNumber":12345678901,"dob":"1984-07-23","recipient":"10 Main St",
            "cards":["4111 1111 1111 1111","5500-0000-0000-0004"],"count":12345678901,"accountType":"checking"}},
          "isError":false}}
        """;

    private static string MaskNode(string json) => Masker.MaskNode(json).Node!.ToJsonString();

    private static string MaskStream(string json) => Masker.MaskStream(json).Json;

    [Fact]
    public void FieldNames_GiveContext_EnvelopeIsLeftAlone()
    {
        var masked = JsonNode.Parse(MaskNode(ToolResult))!;
        Assert.Equal("123-45-6789", masked["id"]!.GetValue<string>());
        var customer = masked["result"]!["structuredContent"]!["customer"]!;
        Assert.Equal("[BANK_ACCOUNT]", customer["accountNumber"]!.GetValue<string>());
        Assert.Equal("[DATE_OF_BIRTH]", customer["dob"]!.GetValue<string>());
        Assert.Equal("[CARD]", customer["cards"]![1]!.GetValue<string>());
        Assert.Equal(12345678901, customer["count"]!.GetValue<long>());
        Assert.Equal("checking", customer["accountType"]!.GetValue<string>());
    }

    [Fact]
    public void JsonInsideText_IsMaskedAsJson()
    {
        var masked = JsonNode.Parse(MaskNode(ToolResult))!;
        var content = masked["result"]!["content"]!;
        Assert.Equal("""{"ssn":"[SSN]","routing_number":"[ABA_ROUTING]","memo":"ok"}""", content[0]!["text"]!.GetValue<string>());
        Assert.Equal("Customer SSN [SSN] called from [PHONE]", content[1]!["text"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"ssn":"[123456789]"}""", """{"ssn":"[\"[SSN]\"]"}""")]
    [InlineData("""{"ssn":"[\"123456789\"]"}""", """{"ssn":"[\"[SSN]\"]"}""")]
    [InlineData("""{"accountNumber":"[12345678901]"}""", """{"accountNumber":"[\"[BANK_ACCOUNT]\"]"}""")]
    public void JsonInsideText_KeepsTheOuterFieldsContext(string json, string expected)
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(MaskStream(json))), MaskStream(json));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(MaskNode(json))), MaskNode(json));
    }

    [Fact]
    public void Streaming_EqualsNode()
    {
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(MaskNode(ToolResult)), JsonNode.Parse(MaskStream(ToolResult))));
    }

    [Fact]
    public void Streaming_ReportEqualsNodeReport()
    {
        var node = Masker.MaskNode(ToolResult).Report;
        var stream = Masker.MaskStream(ToolResult).Report;
        Assert.Equal(node.Masked.OrderBy(p => p.Key), stream.Masked.OrderBy(p => p.Key));
        Assert.Equal(8, node.MaskedTotal);
    }

    [Fact]
    public void Streaming_UnchangedJson_KeepsItsBytes()
    {
        const string clean = """{"a":"caf\u00e9 \"quoted\"","b":[1,2.5e3,true,null],"c":{}}""";
        Assert.Equal(clean, MaskStream(clean));
    }

    [Fact]
    public void MaskJson_LeavesInputUntouched()
    {
        var node = JsonNode.Parse("""{"ssn":"123-45-6789"}""")!;
        Masker.Redacting.MaskJson(node, MaskingScope.Gateway, MaskingAudience.Storage);
        Assert.Equal("123-45-6789", node["ssn"]!.GetValue<string>());
    }

    [Fact]
    public async Task StreamOverload_MasksWholeMessage()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(ToolResult));
        using var output = new MemoryStream();
        var report = await Masker.Redacting.MaskUtf8JsonAsync(input, output, MaskingScope.Gateway, MaskingAudience.Storage);
        Assert.Equal(MaskStream(ToolResult), Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(8, report.MaskedTotal);
    }
}
