using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Protocol;

public sealed class JsonRpcTests
{
    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tools/list'}", JsonRpcKind.Request)]
    [InlineData("{'jsonrpc':'2.0','id':'abc','method':'tools/call','params':{}}", JsonRpcKind.Request)]
    [InlineData("{'jsonrpc':'2.0','id':-3.5,'method':'x'}", JsonRpcKind.Request)]
    [InlineData("{'jsonrpc':'2.0','method':'notifications/initialized'}", JsonRpcKind.Notification)]
    [InlineData("{'jsonrpc':'2.0','method':'notifications/progress','params':{'progress':1}}", JsonRpcKind.Notification)]
    [InlineData("{'jsonrpc':'2.0','id':1,'result':{}}", JsonRpcKind.Response)]
    [InlineData("{'jsonrpc':'2.0','id':'a','error':{'code':-32601,'message':'m'}}", JsonRpcKind.Response)]
    [InlineData("{'jsonrpc':'2.0','id':null,'error':{'code':-32700,'message':'m'}}", JsonRpcKind.Response)]
    public void Classify_WellFormedMessage_IsItsKind(string json, JsonRpcKind expected)
    {
        Assert.Equal(expected, JsonRpc.Classify(Json.Object(json)));
    }

    [Theory]
    [InlineData("{'id':1,'method':'x'}")]
    [InlineData("{'jsonrpc':'1.0','id':1,'method':'x'}")]
    [InlineData("{'jsonrpc':2.0,'id':1,'method':'x'}")]
    [InlineData("{'jsonrpc':null,'id':1,'method':'x'}")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':42}")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':null}")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':['tools/list']}")]
    [InlineData("{'jsonrpc':'2.0','method':{}}")]
    [InlineData("{'jsonrpc':'2.0','id':null,'method':'x'}")]
    [InlineData("{'jsonrpc':'2.0','id':true,'method':'x'}")]
    [InlineData("{'jsonrpc':'2.0','id':{},'method':'x'}")]
    [InlineData("{'jsonrpc':'2.0','id':[1],'method':'x'}")]
    [InlineData("{'jsonrpc':'2.0','id':1,'result':{},'error':{'code':1,'message':'m'}}")]
    [InlineData("{'jsonrpc':'2.0','id':1}")]
    [InlineData("{'jsonrpc':'2.0','result':{}}")]
    [InlineData("{'jsonrpc':'2.0'}")]
    public void Classify_MalformedMessage_IsInvalid(string json)
    {
        Assert.Equal(JsonRpcKind.Invalid, JsonRpc.Classify(Json.Object(json)));
    }

    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tools/list'}")]
    [InlineData("{'jsonrpc':'2.0','method':'notifications/initialized'}")]
    [InlineData("{'jsonrpc':'2.0','id':'x','result':{'content':[]}}")]
    public void TryParse_ValidMessage_ReturnsItUnchanged(string json)
    {
        var text = json.Replace('\'', '"');

        Assert.True(JsonRpc.TryParse(Encoding.UTF8.GetBytes(text), out var message, out var error));
        Json.Equal(text, message);
        Assert.Null(error);
    }

    [Fact]
    public void TryParse_UnknownFields_AreKept()
    {
        var text = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"t\",\"x-vendor\":{\"a\":[1,2]}},\"extra\":true}";

        Assert.True(JsonRpc.TryParse(Encoding.UTF8.GetBytes(text), out var message, out _));
        Assert.Equal(text, message.ToJsonString());
    }

    public static TheoryData<string, int, string?> Rejected => new()
    {
        // body, expected code, expected id (JSON text, null for a JSON null id)
        { "{", JsonRpcErrorCodes.ParseError, null },
        { "not json", JsonRpcErrorCodes.ParseError, null },
        { "", JsonRpcErrorCodes.ParseError, null },
        { "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"} trailing", JsonRpcErrorCodes.ParseError, null },
        { "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}]", JsonRpcErrorCodes.InvalidRequest, null },
        { "[]", JsonRpcErrorCodes.InvalidRequest, null },
        { "\"tools/list\"", JsonRpcErrorCodes.InvalidRequest, null },
        { "42", JsonRpcErrorCodes.InvalidRequest, null },
        { "null", JsonRpcErrorCodes.InvalidRequest, null },
        { "{\"jsonrpc\":\"1.0\",\"id\":7,\"method\":\"tools/list\"}", JsonRpcErrorCodes.InvalidRequest, "7" },
        { "{\"id\":\"a\",\"method\":\"tools/list\"}", JsonRpcErrorCodes.InvalidRequest, "\"a\"" },
        { "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":5}", JsonRpcErrorCodes.InvalidRequest, "\"a\"" },
        { "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"x\"}", JsonRpcErrorCodes.InvalidRequest, null },
        { "{\"jsonrpc\":\"2.0\",\"id\":{\"n\":1},\"method\":\"x\"}", JsonRpcErrorCodes.InvalidRequest, null },
        { "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{},\"error\":{\"code\":1,\"message\":\"m\"}}", JsonRpcErrorCodes.InvalidRequest, "3" },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void TryParse_InvalidBody_ReturnsTheErrorToSend(string body, int code, string? id)
    {
        Assert.False(JsonRpc.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));

        Assert.Equal("2.0", (string?)error["jsonrpc"]);
        Assert.True(error.ContainsKey("id"), "a JSON-RPC error always carries an id, null when unknown");
        Assert.Equal(id, error["id"]?.ToJsonString());
        Assert.Equal(code, (int)error["error"]!["code"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["error"]!["message"]));
        Assert.False(error.ContainsKey("result"));
    }

    [Fact]
    public void TryParse_Batch_SaysBatchesAreNotSupported()
    {
        JsonRpc.TryParse("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]"u8, out _, out var error);

        Assert.Contains("batches are not supported", (string?)error["error"]!["message"]);
    }

    [Fact]
    public void TryParse_NestingDeeperThan128_IsAParseError()
    {
        var deep = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":" + new string('[', 200) + new string(']', 200) + "}";

        Assert.False(JsonRpc.TryParse(Encoding.UTF8.GetBytes(deep), out _, out var error));
        Assert.Equal(JsonRpcErrorCodes.ParseError, (int)error["error"]!["code"]!);
    }

    [Fact]
    public void Error_WithData_CopiesTheIdAndCarriesData()
    {
        var id = JsonValue.Create("req-1");

        var error = JsonRpc.Error(id, JsonRpcErrorCodes.Refused, "no", new JsonObject { ["reason"] = "policy.x" });

        Json.Equal("{'jsonrpc':'2.0','id':'req-1','error':{'code':-32063,'message':'no','data':{'reason':'policy.x'}}}", error);
        Assert.NotSame(id, error["id"]);
    }

    [Fact]
    public void Request_WithoutParameters_HasNoParamsMember()
    {
        Json.Equal("{'jsonrpc':'2.0','id':4,'method':'ping'}", JsonRpc.Request(4, "ping", null));
        Json.Equal("{'jsonrpc':'2.0','method':'notifications/initialized'}", JsonRpc.Notification("notifications/initialized", null));
    }

    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tools/list'}", "tools/list")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':5}", null)]
    [InlineData("{'jsonrpc':'2.0','id':1,'result':{}}", null)]
    public void Method_ReadsOnlyAStringMethod(string json, string? expected)
    {
        Assert.Equal(expected, JsonRpc.Method(Json.Object(json)));
    }

    public static TheoryData<string> KnownMethods() => [.. typeof(McpMethods).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral).Select(field => (string)field.GetRawConstantValue()!)];

    [Theory]
    [MemberData(nameof(KnownMethods))]
    public void Method_KnownMethod_IsItsConstantInEverySpelling(string name)
    {
        name = string.Intern(name); // the constant's own instance (test data arrives as a copy)
        Assert.Same(name, JsonRpc.Method(Parsed(Quote(name))));
        Assert.Same(name, JsonRpc.Method(JsonNode.Parse($$"""{"jsonrpc":"2.0","method":{{Quote(name)}}}""")!.AsObject())); // a notification: no id
        Assert.Same(name, JsonRpc.Method(new JsonObject { ["method"] = name }));

        // Escaped spellings carry the same name and read as it; near misses read as what they are.
        Assert.Equal(name, JsonRpc.Method(Parsed(Quote(name.Replace("/", "\\/")))));
        Assert.Equal(name, JsonRpc.Method(Parsed(Quote(string.Concat(name.Select(c => $"\\u{(int)c:x4}"))))));
        foreach (var nearMiss in new[] { name + " ", " " + name, name.ToUpperInvariant(), name[..^1], name + "s", name.Replace('/', '.') })
        {
            Assert.Equal(nearMiss, JsonRpc.Method(Parsed(Quote(nearMiss))));
        }
    }

    [Theory]
    [InlineData("\"vendor/custom\"", "vendor/custom")]
    [InlineData("\"t\\u00f6ols/call\"", "t\u00f6ols/call")]
    [InlineData("\"\"", "")]
    [InlineData("null", null)]
    [InlineData("true", null)]
    [InlineData("7", null)]
    public void Method_OtherValues_ReadAsTheirText(string method, string? expected)
    {
        Assert.Equal(expected, JsonRpc.Method(Parsed(method)));
    }

    [Fact]
    public void Method_AndClassify_OfAParsedMessage_AllocateNothingOnceRead()
    {
        var message = Parsed(Quote(McpMethods.ToolsCall));
        Assert.Equal(JsonRpcKind.Request, JsonRpc.Classify(message)); // the first read builds the object's members

        var (requests, constants) = (0, 0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            requests += JsonRpc.Classify(message) == JsonRpcKind.Request ? 1 : 0;
            constants += ReferenceEquals(JsonRpc.Method(message), McpMethods.ToolsCall) ? 1 : 0;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((100, 100), (requests, constants));
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData("\"2.0\"", JsonRpcKind.Request)]
    [InlineData("\"2\\u002e0\"", JsonRpcKind.Request)]
    [InlineData("\"\\u0032.0\"", JsonRpcKind.Request)]
    [InlineData("\"2.0 \"", JsonRpcKind.Invalid)]
    [InlineData("\"2.00\"", JsonRpcKind.Invalid)]
    [InlineData("\"2\"", JsonRpcKind.Invalid)]
    [InlineData("2.0", JsonRpcKind.Invalid)]
    [InlineData("[\"2.0\"]", JsonRpcKind.Invalid)]
    [InlineData("{\"v\":\"2.0\"}", JsonRpcKind.Invalid)]
    public void Classify_Version_IsTheString2Point0InAnySpelling(string version, JsonRpcKind expected)
    {
        Assert.Equal(expected, JsonRpc.Classify(JsonNode.Parse($$"""{"jsonrpc":{{version}},"id":1,"method":"ping"}""")!.AsObject()));
    }

    [Fact]
    public void Classify_MessageBuiltInCode_ReadsItsVersionToo()
    {
        Assert.Equal(JsonRpcKind.Request, JsonRpc.Classify(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "ping" }));
        Assert.Equal(JsonRpcKind.Invalid, JsonRpc.Classify(new JsonObject { ["jsonrpc"] = 2.0, ["id"] = 1, ["method"] = "ping" }));
        Assert.Equal(JsonRpcKind.Invalid, JsonRpc.Classify(new JsonObject { ["jsonrpc"] = "2.0 ", ["id"] = 1, ["method"] = "ping" }));
    }

    private static string Quote(string text) => $"\"{text}\"";

    private static JsonObject Parsed(string method) => JsonNode.Parse($$"""{"jsonrpc":"2.0","id":1,"method":{{method}}}""")!.AsObject();
}
