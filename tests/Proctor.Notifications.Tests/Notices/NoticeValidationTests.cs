using Proctor.Configuration.Models;
using Proctor.Notifications.Notices;
using Proctor.Notifications.Tests.Infrastructure;

namespace Proctor.Notifications.Tests.Notices;

/// <summary>A notice the caller built wrong is a bug, refused at <see cref="INoticeSink.Publish"/>; a well-formed one gets a stable idempotency key.</summary>
public sealed class NoticeValidationTests
{
    public static TheoryData<string, GatewayNotice> Malformed => new()
    {
        { "unknown kind", Harness.Notice() with { Kind = "approval.granted" } },
        { "empty id", Harness.Notice() with { Id = "" } },
        { "id with a line break", Harness.Notice() with { Id = "apr_1\napr_2" } },
        { "empty requester", Harness.Notice() with { Requester = "" } },
        { "empty tool", Harness.Notice() with { Tool = "" } },
        { "actor with a control character", Harness.Notice() with { Actor = "bob\u0007" } },
        { "relative path", Harness.Notice() with { ActPath = "api/approvals/apr_1" } },
        { "another host", Harness.Notice() with { ActPath = "//evil.example/approve" } },
        { "absolute URL", Harness.Notice() with { ActPath = "https://evil.example/approve" } },
        { "backslash", Harness.Notice() with { ActPath = "/\\evil.example/approve" } },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Check_Malformed_Throws(string what, GatewayNotice notice)
    {
        Assert.True(Assert.ThrowsAny<ArgumentException>(() => NoticeValidation.Check(notice)).Message.Length > 0, what);
    }

    [Fact]
    public void Check_EveryKind_WellFormed_Passes()
    {
        foreach (var kind in NoticeKinds.All)
        {
            NoticeValidation.Check(Harness.Notice(kind) with { Tool = null, RuleId = null });
        }
    }

    [Fact]
    public void Key_SameEvent_SameKey_OtherEvents_OtherKeys()
    {
        var notice = Harness.Notice();

        Assert.Matches("^ntc_[0-9a-f]{32}$", NoticeIdentity.Key(notice));
        Assert.Equal(NoticeIdentity.Key(notice), NoticeIdentity.Key(notice with { Summary = "worded differently" }));
        string[] others =
        [
            NoticeIdentity.Key(notice with { Kind = NoticeKinds.ApprovalApproved }),
            NoticeIdentity.Key(notice with { Id = "apr_other" }),
            NoticeIdentity.Key(notice with { Actor = "bob@bank.example" }),
            NoticeIdentity.Key(notice with { OccurredAt = notice.OccurredAt.AddMilliseconds(1) }),
        ];
        Assert.DoesNotContain(NoticeIdentity.Key(notice), others);
        Assert.Equal(others.Length, others.Distinct().Count());
    }

    [Fact]
    public void Links_PublicUrlWithAPathPrefix_KeepsIt()
    {
        Assert.Equal("https://bank.example/proctor/api/approvals/apr_1", new NoticeLinks(new Uri("https://bank.example/proctor/")).For("/api/approvals/apr_1").AbsoluteUri);
        Assert.Equal("http://127.0.0.1:8080/api/approvals/apr_1", new NoticeLinks(new Uri("http://127.0.0.1:8080")).For("/api/approvals/apr_1").AbsoluteUri);
    }
}
