using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Failures;

/// <summary>
/// A POST body is read whole whatever its size and however it is framed: every size around the reader's buffer
/// boundaries (its first buffer, the 64 KiB it trusts a Content-Length for, its doublings) and around the limit, with
/// a Content-Length and chunked without one. Within the limit the gateway answers the ping it carried; past it, 413.
/// </summary>
public sealed class BodySizeTests
{
    private const int Limit = 150_000;

    [Fact]
    public async Task Post_PingsOfEverySizeWithAndWithoutLength_AreReadWholeOrRefusedPastTheLimit()
    {
        await using var gateway = await GatewayUnderTest.StartAsync("  {}", gatewayKeys: $"maxRequestBytes: {Limit}");
        var session = await RawMcp.InitializeAsync(gateway.Mcp());
        using var http = new HttpClient();
        int[] boundaries = [4_096, 8_192, 16_384, 65_536, 131_072, Limit];
        var sizes = boundaries.SelectMany(b => new[] { b - 1, b, b + 1, b + 2 }).Prepend(120).Order();

        foreach (var size in sizes)
        {
            foreach (var chunked in new[] { false, true })
            {
                var body = Ping(size);
                using var request = new HttpRequestMessage(HttpMethod.Post, gateway.Mcp())
                {
                    Content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body),
                };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TransferEncodingChunked = chunked;
                request.Headers.Accept.ParseAdd("application/json");
                request.Headers.Accept.ParseAdd("text/event-stream");
                request.Headers.Add("Mcp-Session-Id", session);

                using var response = await http.SendAsync(request);
                var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

                var framing = chunked ? "chunked" : "with Content-Length";
                if (size <= Limit)
                {
                    Assert.True(response.StatusCode == HttpStatusCode.OK, $"{size} bytes {framing}: {(int)response.StatusCode} {answer.ToJsonString()}");
                    Assert.Equal($"ping-{size}", (string?)answer["id"]);
                    Assert.NotNull(answer["result"]);
                }
                else
                {
                    Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{size} bytes {framing}: {(int)response.StatusCode} {answer.ToJsonString()}");
                }
            }
        }
    }

    /// <summary>A ping of exactly <paramref name="size"/> bytes: its id names the size, a pad in <c>_meta</c> makes it up.</summary>
    private static byte[] Ping(int size)
    {
        var empty = "{\"jsonrpc\":\"2.0\",\"id\":\"ping-" + size + "\",\"method\":\"ping\",\"params\":{\"_meta\":{\"pad\":\"\"}}}";
        var body = Encoding.UTF8.GetBytes(empty.Insert(empty.Length - 4, new string('x', size - empty.Length)));
        Assert.Equal(size, body.Length);
        return body;
    }
}
