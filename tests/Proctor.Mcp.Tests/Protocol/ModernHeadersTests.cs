using System.Text.Json.Nodes;
using Proctor.Mcp.Clients;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Protocol;

/// <summary>2026-07-28 request checks, in the order of decision 0003: _meta, version header, supported version, Mcp-Method/Mcp-Name, removed methods.</summary>
public sealed class ModernHeadersTests
{
    private const string Meta = "'_meta':{'io.modelcontextprotocol/protocolVersion':'2026-07-28','io.modelcontextprotocol/clientCapabilities':{}}";

    private static JsonObject Message(string json) => JsonNode.Parse(json.Replace('\'', '"'))!.AsObject();

    private static ClientHeaders Request(string? version = "2026-07-28", string? method = null, string? name = null) =>
        new() { ProtocolVersion = version ?? "", Method = method ?? "", Name = name ?? "" };

    private static string ToolCall(string meta = Meta, string name = "search") =>
        $"{{'jsonrpc':'2.0','id':9,'method':'tools/call','params':{{'name':'{name}','arguments':{{}},{meta}}}}}";

    private static string TaskRequest(string method) =>
        $"{{'jsonrpc':'2.0','id':9,'method':'{method}','params':{{'taskId':'t-1',{Meta}}}}}";

    [Theory]
    [InlineData("tasks/get")]
    [InlineData("tasks/update")]
    [InlineData("tasks/cancel")]
    public void Validate_TaskRequestNamingItsTaskInMcpName_IsAccepted(string method)
    {
        Assert.Null(ModernHeaders.Validate(Request(method: method, name: "t-1"), Message(TaskRequest(method))));
    }

    [Fact]
    public void Validate_ConsistentToolCall_IsAccepted()
    {
        Assert.Null(ModernHeaders.Validate(Request(method: "tools/call", name: "search"), Message(ToolCall())));
    }

    public static TheoryData<string, string, string?, string?, string?, int> Rejected => new()
    {
        // case, body, MCP-Protocol-Version, Mcp-Method, Mcp-Name, expected code
        { "no _meta", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{}}", "2026-07-28", "tools/list", null, JsonRpcErrorCodes.InvalidParams },
        { "no params", "{'jsonrpc':'2.0','id':9,'method':'tools/list'}", "2026-07-28", "tools/list", null, JsonRpcErrorCodes.InvalidParams },
        { "_meta not an object", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':'x'}}", "2026-07-28", "tools/list", null, JsonRpcErrorCodes.InvalidParams },
        { "no protocolVersion", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':{'io.modelcontextprotocol/clientCapabilities':{}}}}", "2026-07-28", "tools/list", null, JsonRpcErrorCodes.InvalidParams },
        { "no clientCapabilities", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':{'io.modelcontextprotocol/protocolVersion':'2026-07-28'}}}", "2026-07-28", "tools/list", null, JsonRpcErrorCodes.InvalidParams },
        { "clientCapabilities not an object", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':{'io.modelcontextprotocol/protocolVersion':'2026-07-28','io.modelcontextprotocol/clientCapabilities':true}}}", "2026-07-28", "tools/list", null, JsonRpcErrorCodes.InvalidParams },
        { "no _meta and wrong headers", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{}}", "2025-11-25", "prompts/list", null, JsonRpcErrorCodes.InvalidParams },
        { "no version header", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{" + Meta + "}}", null, "tools/list", null, JsonRpcErrorCodes.HeaderMismatch },
        { "version header differs", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{" + Meta + "}}", "2025-11-25", "tools/list", null, JsonRpcErrorCodes.HeaderMismatch },
        { "version header differs and method header too", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{" + Meta + "}}", "2025-11-25", "prompts/list", null, JsonRpcErrorCodes.HeaderMismatch },
        { "unsupported version", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':{'io.modelcontextprotocol/protocolVersion':'2099-01-01','io.modelcontextprotocol/clientCapabilities':{}}}}", "2099-01-01", "tools/list", null, JsonRpcErrorCodes.UnsupportedProtocolVersion },
        { "session-era version", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':{'io.modelcontextprotocol/protocolVersion':'2025-11-25','io.modelcontextprotocol/clientCapabilities':{}}}}", "2025-11-25", "tools/list", null, JsonRpcErrorCodes.UnsupportedProtocolVersion },
        { "unsupported version and wrong method header", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':{'io.modelcontextprotocol/protocolVersion':'2099-01-01','io.modelcontextprotocol/clientCapabilities':{}}}}", "2099-01-01", "prompts/list", null, JsonRpcErrorCodes.UnsupportedProtocolVersion },
        { "no method header", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{" + Meta + "}}", "2026-07-28", null, null, JsonRpcErrorCodes.HeaderMismatch },
        { "method header differs", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{" + Meta + "}}", "2026-07-28", "prompts/list", null, JsonRpcErrorCodes.HeaderMismatch },
        { "method header in other case", "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{" + Meta + "}}", "2026-07-28", "TOOLS/LIST", null, JsonRpcErrorCodes.HeaderMismatch },
        { "no name header", ToolCall(), "2026-07-28", "tools/call", null, JsonRpcErrorCodes.HeaderMismatch },
        { "name header differs", ToolCall(), "2026-07-28", "tools/call", "delete_all", JsonRpcErrorCodes.HeaderMismatch },
        { "name header encodes another name", ToolCall(), "2026-07-28", "tools/call", "=?base64?ZGVsZXRlX2FsbA==?=", JsonRpcErrorCodes.HeaderMismatch },
        { "name header undecodable", ToolCall(), "2026-07-28", "tools/call", "=?base64?%%%?=", JsonRpcErrorCodes.HeaderMismatch },
        { "prompt name differs", "{'jsonrpc':'2.0','id':9,'method':'prompts/get','params':{'name':'greet'," + Meta + "}}", "2026-07-28", "prompts/get", "farewell", JsonRpcErrorCodes.HeaderMismatch },
        { "resource uri differs", "{'jsonrpc':'2.0','id':9,'method':'resources/read','params':{'uri':'bank://customers/1'," + Meta + "}}", "2026-07-28", "resources/read", "bank://customers/2", JsonRpcErrorCodes.HeaderMismatch },
        { "task id header differs on tasks/get", TaskRequest("tasks/get"), "2026-07-28", "tasks/get", "t-2", JsonRpcErrorCodes.HeaderMismatch },
        { "task id header differs on tasks/update", TaskRequest("tasks/update"), "2026-07-28", "tasks/update", "t-2", JsonRpcErrorCodes.HeaderMismatch },
        { "task id header differs on tasks/cancel", TaskRequest("tasks/cancel"), "2026-07-28", "tasks/cancel", "t-2", JsonRpcErrorCodes.HeaderMismatch },
        { "no task id header", TaskRequest("tasks/get"), "2026-07-28", "tasks/get", null, JsonRpcErrorCodes.HeaderMismatch },
        { "removed tasks/result", TaskRequest("tasks/result"), "2026-07-28", "tasks/result", null, JsonRpcErrorCodes.MethodNotFound },
        { "removed tasks/list", "{'jsonrpc':'2.0','id':9,'method':'tasks/list','params':{" + Meta + "}}", "2026-07-28", "tasks/list", null, JsonRpcErrorCodes.MethodNotFound },
        { "removed initialize", "{'jsonrpc':'2.0','id':9,'method':'initialize','params':{" + Meta + "}}", "2026-07-28", "initialize", null, JsonRpcErrorCodes.MethodNotFound },
        { "removed ping", "{'jsonrpc':'2.0','id':9,'method':'ping','params':{" + Meta + "}}", "2026-07-28", "ping", null, JsonRpcErrorCodes.MethodNotFound },
        { "removed logging/setLevel", "{'jsonrpc':'2.0','id':9,'method':'logging/setLevel','params':{'level':'info'," + Meta + "}}", "2026-07-28", "logging/setLevel", null, JsonRpcErrorCodes.MethodNotFound },
        { "removed resources/subscribe", "{'jsonrpc':'2.0','id':9,'method':'resources/subscribe','params':{'uri':'bank://x'," + Meta + "}}", "2026-07-28", "resources/subscribe", null, JsonRpcErrorCodes.MethodNotFound },
        { "removed resources/unsubscribe", "{'jsonrpc':'2.0','id':9,'method':'resources/unsubscribe','params':{'uri':'bank://x'," + Meta + "}}", "2026-07-28", "resources/unsubscribe", null, JsonRpcErrorCodes.MethodNotFound },
        { "removed method with wrong method header", "{'jsonrpc':'2.0','id':9,'method':'ping','params':{" + Meta + "}}", "2026-07-28", "tools/list", null, JsonRpcErrorCodes.HeaderMismatch },
    };

    [Theory]
    [MemberData(nameof(Rejected))]
    public void Validate_Inconsistent_RejectedWithTheFirstFailingChecksCode(string @case, string body, string? version, string? method, string? name, int code)
    {
        var error = ModernHeaders.Validate(Request(version, method, name), Message(body));

        Assert.NotNull(error);
        Assert.True(code == (int)error["error"]!["code"]!, $"{@case}: expected {code}, got {error.ToJsonString()}");
        Assert.Equal(9, (int)error["id"]!);
    }

    [Theory]
    [InlineData("MCP-Protocol-Version", null, null, "MCP-Protocol-Version")]
    [InlineData("Mcp-Method", "2026-07-28", null, "Mcp-Method")]
    [InlineData("Mcp-Name", "2026-07-28", "tools/call", "Mcp-Name")]
    public void Validate_HeaderMissing_NamesTheHeaderAndTheValueToSend(string missing, string? version, string? method, string header)
    {
        var error = ModernHeaders.Validate(Request(version, method), Message(ToolCall()))!;

        Assert.Equal(header, (string?)error["error"]!["data"]!["header"]);
        Assert.Contains($"{missing} header is missing", (string?)error["error"]!["message"]);
    }

    [Fact]
    public void Validate_UnsupportedVersion_DataListsSupportedAndRequested()
    {
        var body = "{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{'_meta':{'io.modelcontextprotocol/protocolVersion':'2099-01-01','io.modelcontextprotocol/clientCapabilities':{}}}}";

        var error = ModernHeaders.Validate(Request("2099-01-01", "tools/list"), Message(body))!;

        var data = error["error"]!["data"]!;
        Assert.Equal(ProtocolVersions.All, data["supported"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("2099-01-01", (string?)data["requested"]);
        Assert.Contains(ProtocolVersions.Modern, data["supported"]!.AsArray().Select(v => (string?)v));
    }

    [Theory]
    [InlineData("search", "search")]
    [InlineData("search", "=?base64?c2VhcmNo?=")]
    [InlineData("récupérer", "=?base64?csOpY3Vww6lyZXI=?=")]
    public void Validate_NameHeaderPlainOrBase64_MatchesTheBody(string name, string header)
    {
        Assert.Null(ModernHeaders.Validate(Request(method: "tools/call", name: header), Message(ToolCall(name: name))));
    }

    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':9,'method':'prompts/get','params':{'name':'greet'," + Meta + "}}", "prompts/get", "greet")]
    [InlineData("{'jsonrpc':'2.0','id':9,'method':'resources/read','params':{'uri':'bank://customers/1'," + Meta + "}}", "resources/read", "bank://customers/1")]
    [InlineData("{'jsonrpc':'2.0','id':9,'method':'tools/list','params':{" + Meta + "}}", "tools/list", null)]
    [InlineData("{'jsonrpc':'2.0','id':9,'method':'server/discover','params':{" + Meta + "}}", "server/discover", null)]
    [InlineData("{'jsonrpc':'2.0','id':9,'method':'x-vendor/thing','params':{" + Meta + "}}", "x-vendor/thing", null)]
    public void Validate_ConsistentRequest_IsAccepted(string body, string method, string? name)
    {
        Assert.Null(ModernHeaders.Validate(Request(method: method, name: name), Message(body)));
    }

    [Theory]
    [InlineData(JsonRpcErrorCodes.MethodNotFound, ReplyStatus.NotFound)]
    [InlineData(JsonRpcErrorCodes.InvalidParams, ReplyStatus.BadRequest)]
    [InlineData(JsonRpcErrorCodes.InvalidRequest, ReplyStatus.BadRequest)]
    [InlineData(JsonRpcErrorCodes.HeaderMismatch, ReplyStatus.BadRequest)]
    [InlineData(JsonRpcErrorCodes.MissingClientCapability, ReplyStatus.BadRequest)]
    [InlineData(JsonRpcErrorCodes.UnsupportedProtocolVersion, ReplyStatus.BadRequest)]
    [InlineData(JsonRpcErrorCodes.InternalError, ReplyStatus.Ok)]
    [InlineData(JsonRpcErrorCodes.UpstreamUnavailable, ReplyStatus.Ok)]
    [InlineData(JsonRpcErrorCodes.Refused, ReplyStatus.Ok)]
    [InlineData(-1, ReplyStatus.Ok)]
    public void StatusFor_ErrorCode_MapsToTheReplyStatus(int code, ReplyStatus status)
    {
        Assert.Equal(status, ModernHeaders.StatusFor(JsonRpc.Error(1, code, "m")));
    }

    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':1,'result':{}}")]
    [InlineData("{'jsonrpc':'2.0','id':1,'error':{'code':'-32601','message':'m'}}")]
    [InlineData("{'jsonrpc':'2.0','id':1,'error':{'message':'m'}}")]
    public void StatusFor_NotAnIntegerErrorCode_IsOk(string json)
    {
        Assert.Equal(ReplyStatus.Ok, ModernHeaders.StatusFor(Message(json)));
    }
}
