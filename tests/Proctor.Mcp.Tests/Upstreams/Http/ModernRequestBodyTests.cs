using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams.Http;

public sealed class ModernRequestBodyTests
{
    private const string Version = ProtocolVersions.MetaProtocolVersion;
    private const string Capabilities = ProtocolVersions.MetaClientCapabilities;
    private const string Info = ProtocolVersions.MetaClientInfo;

    private static readonly JsonObject GatewayInfo = Json.Object("{'name':'proctor','version':'1.0'}");
    private static readonly JsonObject SessionCapabilities = Json.Object("{'elicitation':{},'roots':{'listChanged':true}}");

    /// <summary>Every params (absent, not an object, an object) with every _meta (absent, not an object, an object holding any of the three members in any order, or others), in each place among the request's members.</summary>
    public static TheoryData<string> Requests()
    {
        string[] metaMembers = [$"\"{Version}\":\"2025-11-25\"", $"\"{Capabilities}\":{{\"sampling\":{{}}}}", $"\"{Info}\":{{\"name\":\"ide\"}}", $"\"{Capabilities}\":null", "\"progressToken\":\"p1\"", "\"vendor/x\":[1,{\"a\":null}]"];
        var metas = new List<string?> { null, "null", "5", "\"text\"", "[]", "{}" };
        foreach (var first in metaMembers)
        {
            metas.Add($"{{{first}}}");
            foreach (var second in metaMembers.Where(m => m != first && !(m.Contains(Capabilities) && first.Contains(Capabilities))))
            {
                metas.Add($"{{{first},{second}}}");
            }
        }
        metas.Add($"{{\"progressToken\":7,{string.Join(',', metaMembers.Where(m => !m.EndsWith("null") && !m.Contains("progressToken")))},\"z\":true}}");

        var parameters = new List<string?> { null, "null", "[1,2]", "\"p\"", "{}" };
        foreach (var meta in metas)
        {
            parameters.Add(meta is null ? "{\"name\":\"search\",\"arguments\":{\"q\":\"Sm\\u00efth\",\"n\":3}}" : $"{{\"name\":\"search\",\"_meta\":{meta},\"arguments\":{{\"q\":\"x\"}}}}");
            parameters.Add(meta is null ? "{\"cursor\":\"c\"}" : $"{{\"_meta\":{meta}}}");
        }

        var data = new TheoryData<string>();
        foreach (var p in parameters)
        {
            data.Add(p is null ? "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}" : $"{{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":\"tools/call\",\"params\":{p}}}");
            if (p is not null)
            {
                data.Add($"{{\"params\":{p},\"method\":\"tools/call\",\"jsonrpc\":\"2.0\",\"id\":2}}");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Write_IsTheCallersMessageWithTheMetadataAdded_AndLeavesTheMessageAsItWas(string json)
    {
        var request = JsonNode.Parse(json)!.AsObject();

        var written = ModernRequestBody.Write(request, GatewayInfo, SessionCapabilities);

        Assert.Equal(Expected(JsonNode.Parse(json)!.AsObject()), Encoding.UTF8.GetString(written));
        Assert.Equal(JsonNode.Parse(json)!.ToJsonString(), request.ToJsonString());
    }

    [Fact]
    public void Write_ARequestBuiltInCode_GetsAllThree()
    {
        var written = JsonNode.Parse(ModernRequestBody.Write(JsonRpc.Request("d", McpMethods.Discover, new JsonObject()), GatewayInfo, new JsonObject()))!;

        Assert.Equal(ProtocolVersions.Modern, (string?)written["params"]!["_meta"]![Version]);
        Assert.True(JsonNode.DeepEquals(GatewayInfo, written["params"]!["_meta"]![Info]));
        Assert.True(JsonNode.DeepEquals(new JsonObject(), written["params"]!["_meta"]![Capabilities]));
    }

    /// <summary>The rule, on a copy of the message's nodes: how the gateway added the metadata before it wrote the message itself.</summary>
    private static string Expected(JsonObject request)
    {
        if (request["params"] is not JsonObject parameters)
        {
            parameters = [];
            request["params"] = parameters;
        }
        if (parameters["_meta"] is not JsonObject meta)
        {
            meta = [];
            parameters["_meta"] = meta;
        }
        meta[Version] = ProtocolVersions.Modern;
        if (!meta.ContainsKey(Capabilities))
        {
            meta[Capabilities] = SessionCapabilities.DeepClone();
        }
        if (!meta.ContainsKey(Info))
        {
            meta[Info] = GatewayInfo.DeepClone();
        }
        return JsonSerializer.Serialize(request);
    }
}
