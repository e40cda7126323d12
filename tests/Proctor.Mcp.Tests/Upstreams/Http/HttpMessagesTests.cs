using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Mcp.Upstreams;

namespace Proctor.Mcp.Tests.Upstreams.Http;

public sealed class HttpMessagesTests
{
    public static TheoryData<int, bool> Sizes()
    {
        var data = new TheoryData<int, bool>();
        foreach (var size in new[] { 2, 3, 300, 4095, 4096, 4097, 8191, 8192, 8193, 65_537 })
        {
            data.Add(size, true);
            data.Add(size, false);
        }
        return data;
    }

    /// <summary>Answers of every length around the reader's 4 KiB steps, with a Content-Length and without one, at the limit and one byte past it.</summary>
    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task ReadJsonAsync_EveryLength_ReadWhole_UpToTheLimit(int size, bool declared)
    {
        var json = Answer(size);

        var atLimit = await HttpMessages.ReadJsonAsync(Response(json, declared), maxBytes: size, CancellationToken.None);
        var pastLimit = await HttpMessages.ReadJsonAsync(Response(json, declared), maxBytes: size - 1, CancellationToken.None);

        Assert.Null(atLimit.Oversize);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), atLimit.Message));
        Assert.Null(pastLimit.Message);
        Assert.NotNull(pastLimit.Oversize);
    }

    [Fact]
    public async Task ReadJsonAsync_ShortAnswerWithItsLength_TakesNoMoreRoomThanItNeeds()
    {
        var json = Answer(300);
        var response = Response(json, declared: true);
        await HttpMessages.ReadJsonAsync(Response(json, declared: true), maxBytes: 1 << 20, CancellationToken.None); // warm

        var before = GC.GetAllocatedBytesForCurrentThread();
        var read = await HttpMessages.ReadJsonAsync(response, maxBytes: 1 << 20, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(json, read.Message!.ToJsonString());
        Assert.True(allocated < 4096, $"{allocated} bytes allocated to read a {json.Length}-byte answer");
    }

    /// <summary>
    /// The mirrored headers are read from the caller's own message, whose <c>params</c> may be anything a client sent:
    /// a name only from an object's member, and no failure otherwise.
    /// </summary>
    [Theory]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':{'name':'search'}}", "tools/call", "search")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'resources/read','params':{'uri':'bank://c/1'}}", "resources/read", "bank://c/1")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tasks/get','params':{'taskId':'t-1'}}", "tasks/get", "t-1")]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':['search']}", "tools/call", null)]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tools/call','params':'search'}", "tools/call", null)]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'resources/read','params':null}", "resources/read", null)]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tasks/get','params':7}", "tasks/get", null)]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'tools/call'}", "tools/call", null)]
    [InlineData("{'jsonrpc':'2.0','id':1,'method':'ping'}", "ping", null)]
    public void AddModernHeaders_MirrorsMethodAndName_WhateverParamsHolds(string json, string method, string? name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://127.0.0.1/mcp");

        HttpMessages.AddModernHeaders(request, Json.Object(json));

        Assert.Equal([method], request.Headers.GetValues(HttpMessages.MethodHeader));
        Assert.Equal(name is null ? [] : [name], request.Headers.TryGetValues(HttpMessages.NameHeader, out var names) ? names : []);
    }

    /// <summary>A JSON object of exactly <paramref name="size"/> bytes.</summary>
    private static string Answer(int size) => size < 8 ? $"{{{new string(' ', size - 2)}}}" : $"{{\"a\":\"{new string('x', size - 8)}\"}}";

    private static HttpResponseMessage Response(string json, bool declared)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        HttpContent content = declared ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
    }

    /// <summary>A body whose length is not known before it is read (a chunked answer).</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
