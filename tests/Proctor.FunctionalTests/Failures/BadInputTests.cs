using System.Net;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.FunctionalTests.Relay;

namespace Proctor.FunctionalTests.Failures;

/// <summary>Malformed and hostile requests get a clear error and the gateway keeps serving.</summary>
[Collection(nameof(EverythingCollection))]
public sealed class BadInputTests(EverythingUpstreams upstreams)
{
    private Uri Endpoint => upstreams.Gateway.Mcp("everything");

    [Fact]
    public async Task Post_MalformedJson_Returns400WithParseError()
    {
        var (response, body) = await RawMcp.PostAsync(Endpoint, "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32700, (int)body!["error"]!["code"]!);
    }

    [Theory]
    [InlineData("""{"id":1,"method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"1.0","id":1,"method":"tools/list"}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":42}""")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]""")]
    [InlineData("\"just a string\"")]
    public async Task Post_NotAJsonRpcMessage_Returns400WithInvalidRequest(string json)
    {
        var (response, body) = await RawMcp.PostAsync(Endpoint, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32600, (int)body!["error"]!["code"]!);
    }

    [Fact]
    public async Task Post_UnknownSessionId_Returns404()
    {
        var (response, body) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""",
            new Dictionary<string, string> { ["Mcp-Session-Id"] = "0123456789abcdef0123456789abcdef" });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("initialize", (string)body!["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_LegacyRequestWithoutSession_Returns400()
    {
        var (response, _) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOverTheLimit_Returns413WithTheLimitNamed()
    {
        var huge = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":" """ + new string('x', 5 * 1024 * 1024) + "\"}}}";

        var (response, body) = await RawMcp.PostAsync(Endpoint, huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("gateway.maxRequestBytes", (string)body!["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_DisallowedOrigin_Returns403()
    {
        var (response, _) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":1,"method":"ping"}""",
            new Dictionary<string, string> { ["Origin"] = "https://attacker.example" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_ModernHeaderDisagreesWithBody_Returns400HeaderMismatch()
    {
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"message":"x"},""" + RawMcp.ModernMeta + "}}";

        var (response, error) = await RawMcp.PostAsync(Endpoint, body, RawMcp.Modern("tools/call", "get-sum"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32020, (int)error!["error"]!["code"]!);
    }

    [Fact]
    public async Task Post_ModernUnsupportedVersion_Returns400WithSupportedList()
    {
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2099-01-01","io.modelcontextprotocol/clientCapabilities":{}}}}""";

        var (response, error) = await RawMcp.PostAsync(Endpoint, body, new Dictionary<string, string> { ["MCP-Protocol-Version"] = "2099-01-01", ["Mcp-Method"] = "tools/list" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(-32022, (int)error!["error"]!["code"]!);
    }

    [Fact]
    public async Task Get_ModernClient_Returns405()
    {
        using var http = new HttpClient();

        var response = await http.GetAsync(Endpoint);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownServer_Returns404NamingTheConfiguredOnes()
    {
        var (response, body) = await RawMcp.PostAsync(upstreams.Gateway.Mcp("nope"), """{"jsonrpc":"2.0","id":1,"method":"ping"}""");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("everything", (string)body!["error"]!["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ping_Legacy_AnsweredByTheGateway()
    {
        var session = await RawMcp.InitializeAsync(Endpoint);

        var (response, body) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":7,"method":"ping"}""", new Dictionary<string, string> { ["Mcp-Session-Id"] = session });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(7, (int)body!["id"]!);
        Assert.NotNull(body["result"]);
    }

    [Fact]
    public async Task UnknownMethod_SingleRoute_PassesThroughToTheUpstream()
    {
        var session = await RawMcp.InitializeAsync(Endpoint);

        var (_, body) = await RawMcp.PostAsync(Endpoint, """{"jsonrpc":"2.0","id":9,"method":"vendor/experimental","params":{"x":1}}""", new Dictionary<string, string> { ["Mcp-Session-Id"] = session });

        // The upstream (not the gateway) answers: it does not know the method either.
        Assert.Equal(-32601, (int)body!["error"]!["code"]!);
        Assert.DoesNotContain("cannot be routed", (string)body["error"]!["message"]!, StringComparison.Ordinal);
        Assert.Equal(9, (int)body["id"]!);
    }
}
