using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Proctor.Http.Mcp;
using Proctor.Mcp.Clients;

namespace Proctor.Http.Tests.Mcp;

/// <summary>The status codes the front's reply classes become (with ModernHeadersTests: 2026-07-28 errors keep their HTTP status).</summary>
public sealed class HttpRepliesTests
{
    [Theory]
    [InlineData(ReplyStatus.Ok, StatusCodes.Status200OK)]
    [InlineData(ReplyStatus.Accepted, StatusCodes.Status202Accepted)]
    [InlineData(ReplyStatus.BadRequest, StatusCodes.Status400BadRequest)]
    [InlineData(ReplyStatus.Forbidden, StatusCodes.Status403Forbidden)]
    [InlineData(ReplyStatus.NotFound, StatusCodes.Status404NotFound)]
    [InlineData(ReplyStatus.MethodNotAllowed, StatusCodes.Status405MethodNotAllowed)]
    [InlineData(ReplyStatus.Gone, StatusCodes.Status410Gone)]
    [InlineData(ReplyStatus.Unavailable, StatusCodes.Status503ServiceUnavailable)]
    [InlineData(ReplyStatus.Failed, StatusCodes.Status500InternalServerError)]
    public void StatusOf_EveryReplyStatus_HasItsHttpStatus(ReplyStatus status, int code)
    {
        Assert.Equal(code, HttpReplies.StatusOf(status));
    }

    [Fact]
    public void StatusOf_EveryReplyStatusIsMapped()
    {
        foreach (var status in Enum.GetValues<ReplyStatus>())
        {
            Assert.InRange(HttpReplies.StatusOf(status), 200, 599);
        }
    }

    [Fact]
    public async Task JsonAsync_ManyRepliesAtOnce_EachIsItsWholeMessageWithItsLength()
    {
        // Replies are written through one scratch buffer per thread: each must still reach its own response whole,
        // whatever ran on the thread before (a reply past the 1 MiB the scratch keeps, escaped text, another reply).
        var sizes = new[] { 0, 10, 5_000, (1 << 20) + 100, 3 };
        var replies = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(async () =>
        {
            var body = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = i, ["result"] = new JsonObject { ["text"] = new string("aé\u2028<\"x"[i % 6], sizes[i % sizes.Length]) } };
            var context = new DefaultHttpContext();
            var sent = new YieldingStream();
            context.Response.Body = sent;

            await HttpReplies.JsonAsync(context, StatusCodes.Status200OK, body);

            return (Expected: body.ToJsonString(), Context: context, Sent: sent);
        })));

        foreach (var (expected, context, sent) in replies)
        {
            Assert.Equal(expected, Encoding.UTF8.GetString(sent.ToArray()));
            Assert.Equal(sent.Length, context.Response.ContentLength);
            Assert.Equal("application/json", context.Response.ContentType);
            Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        }
    }

    /// <summary>A body that takes each write only after yielding, so that other replies run on the thread meanwhile.</summary>
    private sealed class YieldingStream : MemoryStream
    {
        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            await base.WriteAsync(buffer, cancellationToken);
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            await Task.Yield();
            await base.WriteAsync(buffer, offset, count, cancellationToken);
        }
    }
}
