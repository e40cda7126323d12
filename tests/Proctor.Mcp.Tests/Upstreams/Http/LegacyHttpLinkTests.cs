using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Proctor.Configuration;
using Proctor.Configuration.Models;
using Proctor.Configuration.Models.Secrets;
using Proctor.Mcp.Protocol;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams.Http;

/// <summary>The session-era HTTP link against a scripted server: session loss, streams that end early, answers too large.</summary>
public sealed class LegacyHttpLinkTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private const string Session = "session-1";

    private static readonly HttpUpstreamModel Model = new("remote", TimeSpan.FromSeconds(30), new Uri("http://127.0.0.1:9/mcp"), new Dictionary<string, SecretValue>(), UpstreamEra.Legacy, false)
    {
        Limits = new UpstreamLimits { MaxMessageBytes = 1 << 20 },
    };

    private static (LegacyHttpLink Link, ScriptedServer Server) Open(Func<JsonObject, HttpRequestMessage, HttpResponseMessage> answer)
    {
        var server = new ScriptedServer(answer);
        return (new LegacyHttpLink(new HttpClient(server), Model, TimeProvider.System, NullLogger.Instance), server);
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string json, bool withSession = true)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (withSession)
        {
            response.Headers.TryAddWithoutValidation("Mcp-Session-Id", Session);
        }

        return response;
    }

    private static HttpResponseMessage Events(Stream body)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
        return response;
    }

    private static HttpResponseMessage Initialized(JsonObject message) =>
        Json(HttpStatusCode.OK, JsonRpc.Result(message["id"], new JsonObject { ["protocolVersion"] = "2025-11-25", ["capabilities"] = new JsonObject() }).ToJsonString());

    private static async Task<JsonObject> NextAsync(LegacyHttpLink link) =>
        (await link.Incoming.ReadAsync().AsTask().WaitAsync(Patience)).Message;

    private static JsonObject Call(long id) => JsonRpc.Request(id, "tools/call", new JsonObject { ["name"] = "x" });

    [Theory]
    [InlineData(HttpStatusCode.NotFound, HttpStatusCode.OK)]
    [InlineData(HttpStatusCode.BadRequest, HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.BadRequest, HttpStatusCode.NotFound)]
    public async Task Send_ServerNoLongerKnowsTheSession_LinkClosesSoThatANewSessionIsOpened(HttpStatusCode answer, HttpStatusCode ping)
    {
        var (link, _) = Open((message, _) => JsonRpc.Method(message) switch
        {
            McpMethods.Initialize => Initialized(message),
            McpMethods.Ping => Json(ping, "{}", withSession: false),
            _ => Json(answer, """{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":2}""", withSession: false),
        });
        await using var _ = link;
        await link.SendAsync(JsonRpc.Request(1, McpMethods.Initialize, new JsonObject()), CancellationToken.None);
        await NextAsync(link);

        var refused = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => link.SendAsync(Call(2), CancellationToken.None).AsTask());
        var closed = await link.Closed.WaitAsync(Patience);

        Assert.Contains("session ended", refused.Reason);
        Assert.Contains("no longer knows the gateway's session", closed);
    }

    [Fact]
    public async Task Send_400AboutTheMessageItself_TheErrorGoesToTheCallAndTheLinkStaysOpen()
    {
        var (link, _) = Open((message, _) => JsonRpc.Method(message) switch
        {
            McpMethods.Initialize => Initialized(message),
            McpMethods.Ping => Json(HttpStatusCode.OK, JsonRpc.Result(message["id"], new JsonObject()).ToJsonString(), withSession: false),
            _ => Json(HttpStatusCode.BadRequest, """{"jsonrpc":"2.0","error":{"code":-32602,"message":"bad params"},"id":2}""", withSession: false),
        });
        await using var _ = link;
        await link.SendAsync(JsonRpc.Request(1, McpMethods.Initialize, new JsonObject()), CancellationToken.None);
        await NextAsync(link);

        await link.SendAsync(Call(2), CancellationToken.None);
        var error = await NextAsync(link);

        Assert.Equal("bad params", (string?)error["error"]!["message"]);
        Assert.False(link.Closed.IsCompleted);
    }

    [Fact]
    public async Task Drain_StreamEndsBeforeTheAnswer_TheCallGetsMinus32060AtOnce()
    {
        var (link, _) = Open((message, _) => Events(new MemoryStream(Encoding.UTF8.GetBytes(
            "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"proctor-7\",\"progress\":1}}\n\n"))));
        await using var _ = link;

        await link.SendAsync(Call(7), CancellationToken.None);
        var progress = await NextAsync(link);
        var error = await NextAsync(link);

        Assert.Equal(McpMethods.Progress, JsonRpc.Method(progress));
        Assert.Equal(7, (long)error["id"]!);
        Assert.Equal(JsonRpcErrorCodes.UpstreamUnavailable, (int)error["error"]!["code"]!);
        Assert.Contains("ended it after 1 event(s) without the answer", (string?)error["error"]!["message"]);
    }

    [Fact]
    public async Task Drain_ConnectionCutMidStream_TheCallGetsMinus32060NamingTheCut()
    {
        var (link, _) = Open((message, _) => Events(new CutStream(Encoding.UTF8.GetBytes(
            "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"proctor-8\",\"progress\":1}}\n\ndata: {\"jsonrpc\":"))));
        await using var _ = link;

        await link.SendAsync(Call(8), CancellationToken.None);
        await NextAsync(link);
        var error = await NextAsync(link);

        Assert.Equal(8, (long)error["id"]!);
        Assert.Equal(JsonRpcErrorCodes.UpstreamUnavailable, (int)error["error"]!["code"]!);
        Assert.Contains("connection was cut after 1 event(s)", (string?)error["error"]!["message"]);
    }

    [Fact]
    public async Task Drain_JsonAnswerDeclaredLargerThanTheBound_TheCallGetsTooLargeAndTheBodyIsNeverRead()
    {
        var (link, _) = Open((message, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new CutStream([])) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            response.Content.Headers.ContentLength = 200L << 20;
            return response;
        });
        await using var _ = link;

        await link.SendAsync(Call(9), CancellationToken.None);
        var error = await NextAsync(link);

        Assert.Equal(9, (long)error["id"]!);
        Assert.Equal("upstream.message_too_large", (string?)error["error"]!["data"]!["reason"]);
        Assert.Contains("upstreams.remote.maxMessageBytes", (string?)error["error"]!["message"]);
    }

    [Fact]
    public async Task Drain_SseEventLargerThanTheBound_TheCallGetsTooLargeAndLaterEventsStillArrive()
    {
        var huge = $"{{\"result\":{{\"t\":\"{new string('x', 2 << 20)}\"}},\"jsonrpc\":\"2.0\",\"id\":10}}";
        var (link, _) = Open((message, _) => Events(new MemoryStream(Encoding.UTF8.GetBytes(
            $"data: {huge}\n\ndata: {{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",\"params\":{{\"level\":\"info\",\"data\":\"after\"}}}}\n\n"))));
        await using var _ = link;

        await link.SendAsync(Call(10), CancellationToken.None);
        var error = await NextAsync(link);
        var after = await NextAsync(link);

        Assert.Equal("upstream.message_too_large", (string?)error["error"]!["data"]!["reason"]);
        Assert.Equal("after", (string?)after["params"]!["data"]);
    }

    /// <summary>An HTTP server played by a function of the JSON-RPC message posted.</summary>
    private sealed class ScriptedServer(Func<JsonObject, HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? new JsonObject() : JsonNode.Parse(await request.Content.ReadAsStringAsync(cancellationToken))!.AsObject();
            return answer(body, request);
        }
    }

    /// <summary>A response body that gives its bytes, then fails as a reset connection does.</summary>
    private sealed class CutStream(byte[] data) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_position == data.Length)
            {
                throw new IOException("Connection reset by peer");
            }

            var n = Math.Min(count, data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
