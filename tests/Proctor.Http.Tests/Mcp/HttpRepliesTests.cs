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
}
