using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.Mcp.Upstreams.Calls;

namespace Proctor.Mcp.Tests.Upstreams.Calls;

/// <summary>
/// A call's request is written from the caller's message without copying it. Whatever the message's shape, the bytes
/// MUST be those of the copy the gateway used to send: the message with the gateway's id in the caller's id's place (or
/// last), and the gateway's token in place of a progress token the caller gave in params._meta; nothing else changed.
/// </summary>
public sealed class UpstreamRequestTests
{
    private const long GatewayId = 4711;

    private static readonly string[] Ids = ["", "\"id\":1,", "\"id\":\"call-é\\u2028\",", "\"id\":null,", "\"id\":-5,", "\"id\":1.5,", "\"id\":9007199254740993,", "\"id\":{\"odd\":true},"];

    private static readonly string[] Metas =
    [
        "", "\"_meta\":null,", "\"_meta\":[1],", "\"_meta\":\"x\",", "\"_meta\":{},", "\"_meta\":{\"other\":1},",
        "\"_meta\":{\"progressToken\":1},", "\"_meta\":{\"progressToken\":\"tok<&>\"},", "\"_meta\":{\"progressToken\":null},",
        "\"_meta\":{\"progressToken\":{\"k\":[1,2]}},", "\"_meta\":{\"a\":\"b\",\"progressToken\":7,\"z\":[null]},",
        "\"_meta\":{\"progressToken\":\"proctor-1\",\"traceparent\":\"00-ab-cd-01\"},",
    ];

    public static TheoryData<string> Messages()
    {
        var data = new TheoryData<string>();
        foreach (var id in Ids)
        {
            foreach (var meta in Metas)
            {
                var parameters = $"{{\"name\":\"transfer\",{meta}\"arguments\":{{\"iban\":\"GB82WEST12345698765432\",\"_meta\":{{\"progressToken\":\"not-this-one\"}}}}}}";
                data.Add($"{{\"jsonrpc\":\"2.0\",{id}\"method\":\"tools/call\",\"params\":{parameters}}}");
                data.Add($"{{\"params\":{{{meta.TrimEnd(',')}}},\"method\":\"tools/call\",{id}\"jsonrpc\":\"2.0\"}}");
            }
            foreach (var parameters in new[] { "null", "[1,{\"_meta\":{\"progressToken\":1}}]", "\"text\"", "3", "{}" })
            {
                data.Add($"{{\"jsonrpc\":\"2.0\",{id}\"method\":\"ping\",\"params\":{parameters}}}");
            }
            data.Add($"{{{id}\"jsonrpc\":\"2.0\",\"method\":\"ping\"}}".Replace(",}", "}", StringComparison.Ordinal));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void WriteTo_AnyMessage_WritesWhatTheCopyWithTheGatewaysIdAndTokenWould(string text)
    {
        foreach (var message in new[] { JsonNode.Parse(text)!.AsObject(), Materialized(text) })
        {
            var expected = CopyAsTheGatewayDid(message, out var callersToken);

            var request = UpstreamRequest.For(message, GatewayId, out var token);

            Assert.Equal(expected, Written(request));
            Assert.Equal(expected, request.ToJsonObject().ToJsonString());
            Assert.True(JsonNode.DeepEquals(callersToken, token), $"the caller's token {callersToken?.ToJsonString()} came back as {token?.ToJsonString()}");
            Assert.Equal(JsonNode.Parse(text)!.ToJsonString(), message.ToJsonString());
        }
    }

    [Fact]
    public void Register_ARequestWithAProgressToken_TheCallKeepsTheCallersIdAndToken_AndTheMessageIsLeftAsItWas()
    {
        var calls = new CallMultiplexer("bank", maxCallsInFlight: 4, inboxCapacity: 4);
        var message = Json.Object("{'jsonrpc':'2.0','id':'c-1','method':'tools/call','params':{'name':'t','_meta':{'progressToken':'p-1'}}}");

        var (call, outgoing) = calls.Register(message, new RecordingSink());

        var sent = JsonNode.Parse(Written(outgoing))!;
        Assert.Equal(call.Id, sent["id"]!.GetValue<long>());
        Assert.Equal(CallMultiplexer.ProgressTokenPrefix + call.Id, sent["params"]!["_meta"]!["progressToken"]!.GetValue<string>());
        Assert.Equal("c-1", call.OriginalId!.GetValue<string>());
        Assert.Equal("p-1", call.OriginalProgressToken!.GetValue<string>());
        Assert.Equal("c-1", message["id"]!.GetValue<string>());
        Assert.Equal("p-1", message["params"]!["_meta"]!["progressToken"]!.GetValue<string>());
    }

    /// <summary>What the gateway sent before requests were written in place: a deep copy, its id and token set.</summary>
    private static string CopyAsTheGatewayDid(JsonObject message, out JsonNode? callersToken)
    {
        var copy = message.DeepClone().AsObject();
        copy["id"] = GatewayId;
        callersToken = null;
        if (copy["params"] is JsonObject parameters && parameters["_meta"] is JsonObject meta && meta.TryGetPropertyValue("progressToken", out var token))
        {
            callersToken = token?.DeepClone();
            meta["progressToken"] = CallMultiplexer.ProgressTokenPrefix + GatewayId;
        }
        return copy.ToJsonString();
    }

    /// <summary>The same message with every object's members already built (a parsed one builds them on first use).</summary>
    private static JsonObject Materialized(string text)
    {
        var message = JsonNode.Parse(text)!.AsObject();
        Walk(message);
        return message;

        static void Walk(JsonNode? node)
        {
            foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] })
            {
                Walk(child);
            }
        }
    }

    private static string Written(UpstreamRequest request)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            request.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
