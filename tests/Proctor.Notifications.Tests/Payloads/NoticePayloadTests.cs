using System.Text.Json;
using Proctor.Configuration.Models;
using Proctor.Notifications.Payloads;
using Proctor.Notifications.Tests.Infrastructure;

namespace Proctor.Notifications.Tests.Payloads;

/// <summary>The body: Slack Block Kit (fallback text, facts in mrkdwn, the summary in plain_text, a button) and the same facts under <c>proctor</c>.</summary>
public sealed class NoticePayloadTests
{
    private static readonly Uri Link = new("https://proctor.bank.example/api/approvals/apr_7f3k2");

    private static JsonElement Render(GatewayNoticeShape shape = GatewayNoticeShape.Request)
    {
        var notice = shape == GatewayNoticeShape.Decision
            ? Harness.Notice(NoticeKinds.ApprovalApproved) with { Actor = "bob@bank.example" }
            : Harness.Notice();
        return JsonDocument.Parse(NoticePayload.Render(notice, "ntc_0123", notice.Summary, Link)).RootElement;
    }

    public enum GatewayNoticeShape
    {
        Request,
        Decision,
    }

    [Fact]
    public void Render_ApprovalRequested_IsBlockKit_WithFactsSummaryAndAButton()
    {
        var body = Render();

        Assert.Equal("Approval requested: alice@bank.example, bank/transfer_funds (apr_7f3k2)", body.GetProperty("text").GetString());
        var blocks = body.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["section", "section", "actions", "context"], blocks.Select(b => b.GetProperty("type").GetString()));

        var facts = blocks[0].GetProperty("text");
        Assert.Equal("mrkdwn", facts.GetProperty("type").GetString());
        Assert.Equal("*Approval requested*\n*Requester:* alice@bank.example\n*Target:* bank/transfer_funds\n*Rule:* transfers-over-10k", facts.GetProperty("text").GetString());

        var summary = blocks[1].GetProperty("text");
        Assert.Equal("plain_text", summary.GetProperty("type").GetString());
        Assert.Equal("transfer_funds: 25000 USD to account ****6789", summary.GetProperty("text").GetString());
        Assert.False(summary.GetProperty("emoji").GetBoolean());

        var button = Assert.Single(blocks[2].GetProperty("elements").EnumerateArray());
        Assert.Equal("button", button.GetProperty("type").GetString());
        Assert.Equal("plain_text", button.GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("Review", button.GetProperty("text").GetProperty("text").GetString());
        Assert.Equal(Link.AbsoluteUri, button.GetProperty("url").GetString());

        var context = Assert.Single(blocks[3].GetProperty("elements").EnumerateArray());
        Assert.Equal("apr_7f3k2 · 2026-07-28T08:59:30.250Z · <https://proctor.bank.example/api/approvals/apr_7f3k2|proctor.bank.example>", context.GetProperty("text").GetString());
    }

    [Fact]
    public void Render_Structured_CarriesEveryFieldOfTheNotice()
    {
        var proctor = Render(GatewayNoticeShape.Decision).GetProperty("proctor");

        Assert.Equal(
            """{"version":1,"noticeId":"ntc_0123","kind":"approval.approved","id":"apr_7f3k2","occurredAt":"2026-07-28T08:59:30.250Z","requester":"alice@bank.example","actor":"bob@bank.example","server":"bank","tool":"transfer_funds","ruleId":"transfers-over-10k","summary":"transfer_funds: 25000 USD to account ****6789","link":"https://proctor.bank.example/api/approvals/apr_7f3k2"}""",
            proctor.GetRawText());
    }

    [Fact]
    public void Render_Decision_NamesWhoDecided_AndOffersToOpen()
    {
        var blocks = Render(GatewayNoticeShape.Decision).GetProperty("blocks");

        Assert.EndsWith("\n*By:* bob@bank.example", blocks[0].GetProperty("text").GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Equal("Open", blocks[2].GetProperty("elements")[0].GetProperty("text").GetProperty("text").GetString());
    }

    [Fact]
    public void Render_EveryKind_HasItsOwnHeadline()
    {
        var headlines = NoticeKinds.All.Select(NoticePayload.Headline).ToList();

        Assert.Equal(NoticeKinds.All.Count, headlines.Distinct().Count());
        foreach (var kind in NoticeKinds.All)
        {
            var notice = Harness.Notice(kind);
            var text = JsonDocument.Parse(NoticePayload.Render(notice, "ntc_0", "", Link)).RootElement.GetProperty("text").GetString();
            Assert.StartsWith(NoticePayload.Headline(kind) + ":", text, StringComparison.Ordinal);
        }

        Assert.Throws<ArgumentException>(() => NoticePayload.Headline("approval.granted"));
    }

    [Fact]
    public void Render_EmptySummary_LeavesOutItsBlock()
    {
        var notice = Harness.Notice(summary: "");

        var blocks = JsonDocument.Parse(NoticePayload.Render(notice, "ntc_0", "", Link)).RootElement.GetProperty("blocks");

        Assert.Equal(["section", "actions", "context"], blocks.EnumerateArray().Select(b => b.GetProperty("type").GetString()));
    }

    public static TheoryData<string> Hostile => new()
    {
        "<!channel> look",
        "<https://evil.example/login|Approve here>",
        "<@U024BE7LH>",
        "a & b > c",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Render_HostileIdentifiersAndSummary_NeverBecomeLinksOrMentions(string hostile)
    {
        // Identifiers come from tokens and configuration, the summary from the caller's arguments: none may add a
        // link or a mention to the approver's channel. mrkdwn text is escaped; the summary is plain_text only.
        var notice = Harness.Notice(summary: hostile) with { Requester = hostile, Actor = hostile, RuleId = hostile };

        var body = JsonDocument.Parse(NoticePayload.Render(notice, "ntc_0", hostile, Link)).RootElement;

        var mrkdwn = new List<string> { body.GetProperty("text").GetString()! };
        foreach (var block in body.GetProperty("blocks").EnumerateArray())
        {
            if (block.TryGetProperty("text", out var text) && text.GetProperty("type").GetString() == "mrkdwn")
            {
                mrkdwn.Add(text.GetProperty("text").GetString()!);
            }

            if (block.GetProperty("type").GetString() == "context")
            {
                mrkdwn.Add(block.GetProperty("elements")[0].GetProperty("text").GetString()!);
            }
        }

        Assert.All(mrkdwn, text => Assert.DoesNotContain(hostile, text, StringComparison.Ordinal));
        Assert.All(mrkdwn.Take(2), text => Assert.Contains(hostile.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal), text, StringComparison.Ordinal));
        Assert.Equal(hostile, body.GetProperty("blocks")[1].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("plain_text", body.GetProperty("blocks")[1].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal(hostile, body.GetProperty("proctor").GetProperty("requester").GetString());
    }

    [Fact]
    public void Render_SameNotice_SameBytes()
    {
        var notice = Harness.Notice();

        Assert.Equal(NoticePayload.Render(notice, "ntc_0", notice.Summary, Link), NoticePayload.Render(notice, "ntc_0", notice.Summary, Link));
    }
}
