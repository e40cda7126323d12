using System.Text;
using System.Text.Json.Nodes;
using Proctor.Mcp.Pipeline;
using Proctor.Mcp.Protocol;

namespace Proctor.Mcp.Tests.Protocol;

/// <summary>
/// The client-to-server rules against the spec's own lists (schema.ts of each revision, written out here
/// rather than read from the code under test): every request method in every era, every client notification.
/// </summary>
public sealed class ClientMessagesTests
{
    /// <summary><c>ClientRequest</c> of 2024-11-05 … 2025-11-25 (tasks/* since 2025-11-25).</summary>
    private static readonly string[] LegacyRequests =
    [
        "initialize", "ping", "completion/complete", "logging/setLevel", "prompts/get", "prompts/list", "resources/list",
        "resources/templates/list", "resources/read", "resources/subscribe", "resources/unsubscribe", "tools/call", "tools/list",
        "tasks/get", "tasks/result", "tasks/list", "tasks/cancel",
    ];

    /// <summary><c>ClientRequest</c> of 2026-07-28.</summary>
    private static readonly string[] ModernRequests =
    [
        "server/discover", "completion/complete", "prompts/get", "prompts/list", "resources/list", "resources/templates/list",
        "resources/read", "subscriptions/listen", "tools/call", "tools/list",
    ];

    /// <summary><c>ServerRequest</c> of every revision: a client sending one is still sending a request.</summary>
    private static readonly string[] ServerRequests = ["sampling/createMessage", "roots/list", "elicitation/create", "ping"];

    /// <summary>(method, accepted from a session-era client, accepted from a 2026-07-28 client).</summary>
    public static TheoryData<string, bool, bool> Notifications => new()
    {
        { "notifications/initialized", true, false },
        { "notifications/cancelled", true, true },
        { "notifications/progress", true, false },
        { "notifications/roots/list_changed", true, false },
        { "notifications/tasks/status", true, false },
        { "notifications/x-vendor/heartbeat", true, false }, // unknown notifications/*: preserved in the session era
        { "notifications/message", false, false },             // server-to-client only
        { "notifications/resources/updated", false, false },
        { "notifications/resources/list_changed", false, false },
        { "notifications/tools/list_changed", false, false },
        { "notifications/prompts/list_changed", false, false },
        { "notifications/elicitation/complete", false, false },
        { "notifications/subscriptions/acknowledged", false, false },
        { "x-vendor/heartbeat", false, false },                // not a notification's name
        { "initialized", false, false },
    };

    public static TheoryData<bool, string> EveryRequestMethodInEveryEra()
    {
        var data = new TheoryData<bool, string>();
        foreach (var method in LegacyRequests.Concat(ServerRequests).Distinct())
        {
            data.Add(false, method);
        }

        foreach (var method in ModernRequests.Concat(ServerRequests).Distinct())
        {
            data.Add(true, method);
        }

        return data;
    }

    public static TheoryData<string, string> EveryRequestMethodWithEveryBadId()
    {
        var data = new TheoryData<string, string>();
        foreach (var method in LegacyRequests.Concat(ModernRequests).Concat(ServerRequests).Distinct())
        {
            foreach (var id in new[] { "null", "true", "{}", "[1]" })
            {
                data.Add(method, id);
            }
        }

        return data;
    }

    private static JsonObject Message(string method, string? id = null) =>
        Json.Object(id is null ? $"{{'jsonrpc':'2.0','method':'{method}','params':{{}}}}" : $"{{'jsonrpc':'2.0','id':{id},'method':'{method}','params':{{}}}}");

    [Theory]
    [MemberData(nameof(EveryRequestMethodInEveryEra))]
    public void Judge_RequestMethodWithoutId_IsRefusedAndSaysToAddAnId(bool modern, string method)
    {
        var message = Message(method);
        Assert.Equal(JsonRpcKind.Notification, JsonRpc.Classify(message)); // what JSON-RPC alone would make of it

        var verdict = ClientMessages.Judge(message, modern);

        Assert.Equal(ClientMessageKind.Refused, verdict.Kind);
        Assert.Equal(ReasonCodes.RequestWithoutId, verdict.ReasonCode);
        Assert.Contains($"'{method}' is a request", verdict.Problem, StringComparison.Ordinal);
        Assert.Contains("with an \"id\"", verdict.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(EveryRequestMethodInEveryEra))]
    public void Judge_RequestMethodWithAnId_IsARequest(bool modern, string method)
    {
        Assert.Equal(ClientMessageKind.Request, ClientMessages.Judge(Message(method, "7"), modern).Kind);
        Assert.Equal(ClientMessageKind.Request, ClientMessages.Judge(Message(method, "'req-7'"), modern).Kind);
    }

    [Theory]
    [MemberData(nameof(EveryRequestMethodWithEveryBadId))]
    public void TryParse_RequestMethodWithAnIdThatIsNotAStringOrNumber_IsRefusedAsInvalidId(string method, string id)
    {
        var body = Encoding.UTF8.GetBytes(Message(method, id).ToJsonString());

        Assert.False(JsonRpc.TryParse(body, out _, out var error));

        Assert.Equal(JsonRpcErrorCodes.InvalidRequest, (int)error["error"]!["code"]!);
        Assert.Equal(ReasonCodes.InvalidId, (string?)error["error"]!["data"]!["reason"]);
        Assert.Contains("a string or a number (never null)", (string?)error["error"]!["message"], StringComparison.Ordinal);
        Assert.Null(error["id"]);
    }

    [Theory]
    [MemberData(nameof(Notifications))]
    public void Judge_Notification_AcceptedOnlyWhereTheSpecLetsTheClientSendIt(string method, bool legacy, bool modern)
    {
        var asLegacy = ClientMessages.Judge(Message(method), modern: false);
        var asModern = ClientMessages.Judge(Message(method), modern: true);

        Assert.Equal(legacy ? ClientMessageKind.Notification : ClientMessageKind.Refused, asLegacy.Kind);
        Assert.Equal(modern ? ClientMessageKind.Notification : ClientMessageKind.Refused, asModern.Kind);
        Assert.All(new[] { asLegacy, asModern }.Where(v => v.Kind == ClientMessageKind.Refused),
            v => Assert.Equal(ReasonCodes.NotificationNotAllowed, v.ReasonCode));
    }

    public static TheoryData<string> NotificationNames()
    {
        var data = new TheoryData<string>();
        foreach (var method in Notifications.Select(row => (string)row[0]).Where(m => m.StartsWith("notifications/", StringComparison.Ordinal)))
        {
            data.Add(method);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(NotificationNames))]
    public void Judge_NotificationsNameWithAnId_IsRefusedInBothEras(string method)
    {
        foreach (var id in new[] { "1", "'a'", "null" })
        {
            foreach (var modern in new[] { false, true })
            {
                var verdict = ClientMessages.Judge(Message(method, id), modern);
                Assert.Equal(ClientMessageKind.Refused, verdict.Kind);
                Assert.Equal(ReasonCodes.NotificationWithId, verdict.ReasonCode);
                Assert.Contains("without the \"id\"", verdict.Problem, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Judge_UnknownMethodWithAnId_IsARequestInBothEras()
    {
        Assert.Equal(ClientMessageKind.Request, ClientMessages.Judge(Message("x-vendor/heartbeat", "1"), modern: false).Kind);
        Assert.Equal(ClientMessageKind.Request, ClientMessages.Judge(Message("x-vendor/heartbeat", "1"), modern: true).Kind);
    }

    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':'proctor-1','result':{}}")]
    [InlineData("{'jsonrpc':'2.0','id':3,'error':{'code':-1,'message':'no'}}")]
    [InlineData("{'jsonrpc':'2.0','id':null,'error':{'code':-32700,'message':'parse'}}")]
    public void Judge_Response_AcceptedFromSessionEraClientsOnly(string json)
    {
        Assert.Equal(ClientMessageKind.Response, ClientMessages.Judge(Json.Object(json), modern: false).Kind);
        var modern = ClientMessages.Judge(Json.Object(json), modern: true);
        Assert.Equal(ReasonCodes.UnexpectedResponse, modern.ReasonCode);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("{}")]
    [InlineData("[]")]
    public void Judge_ResponseWithAnIdOfTheWrongType_IsRefused(string id)
    {
        var verdict = ClientMessages.Judge(Json.Object($"{{'jsonrpc':'2.0','id':{id},'result':{{}}}}"), modern: false);

        Assert.Equal(ReasonCodes.InvalidId, verdict.ReasonCode);
    }

    [Fact]
    public void TryParse_NotJsonRpc_CarriesTheInvalidMessageReason()
    {
        foreach (var body in new[] { "{", "[]", "42", "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"tools/list\"}" })
        {
            Assert.False(JsonRpc.TryParse(Encoding.UTF8.GetBytes(body), out _, out var error));
            Assert.Equal(ReasonCodes.InvalidMessage, (string?)error["error"]!["data"]!["reason"]);
        }
    }
}
