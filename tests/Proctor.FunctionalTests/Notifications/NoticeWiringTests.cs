using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Proctor.Configuration.Models;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Notifications.Notices;
using Proctor.Notifications.Tests.Infrastructure;

namespace Proctor.FunctionalTests.Notifications;

/// <summary>
/// The gateway built from YAML with a <c>notifications:</c> section: the sink the approvals code will call is in its
/// services, a notice published there reaches a real receiver signed with the configured secret, and the delivery
/// shows on <c>/metrics</c>.
/// </summary>
public sealed class NoticeWiringTests
{
    private const string Secret = "b7e2c94f1a6d3e08f5c2a9b1d4e7f0a3";

    [Fact]
    public async Task Publish_ThroughTheGatewaysSink_ReachesTheReceiver_Signed_AndIsCounted()
    {
        await using var receiver = await SigningReceiver.StartAsync(Secret);
        var environment = new Dictionary<string, string> { ["HOOK_URL"] = receiver.Url.AbsoluteUri, ["HOOK_SECRET"] = Secret };
        await using var gateway = await GatewayUnderTest.StartAsync("", """
            notifications:
              publicUrl: "https://proctor.bank.example"
              webhooks:
                - { name: ops, url: "${env:HOOK_URL}", secret: "${env:HOOK_SECRET}", events: ["approval.*"] }
            """, environment);
        var sink = gateway.Services.GetRequiredService<INoticeSink>();

        sink.Publish(new GatewayNotice(NoticeKinds.GrantRequested, "grt_1", DateTimeOffset.UtcNow, "alice@bank.example", "bank", null, "", null, "/api/grants/grt_1"));
        sink.Publish(new GatewayNotice(NoticeKinds.ApprovalRequested, "apr_1", DateTimeOffset.UtcNow, "alice@bank.example", "bank", "transfer_funds", "SSN 219-09-9999", "transfers-over-10k", "/api/approvals/apr_1"));

        await Eventually.TrueAsync(() => !receiver.Accepted.IsEmpty, TimeSpan.FromSeconds(10));
        var notice = JsonDocument.Parse(Assert.Single(receiver.Accepted)).RootElement.GetProperty("proctor");
        Assert.Equal("apr_1", notice.GetProperty("id").GetString());
        Assert.Equal("SSN ***-**-9999", notice.GetProperty("summary").GetString());
        Assert.Equal("https://proctor.bank.example/api/approvals/apr_1", notice.GetProperty("link").GetString());
        Assert.All(receiver.Attempts, attempt => Assert.Equal(200, attempt.Status));
        await MetricsScrape.WaitForAsync(gateway, "proctor_notifications_deliveries_total\\{[^}]*outcome=\"delivered\"[^}]*webhook=\"ops\"[^}]*\\} 1");
    }

    [Fact]
    public async Task Publish_WithoutNotifications_IsANoOp_AndTheGatewayStops()
    {
        await using var gateway = await GatewayUnderTest.StartAsync("");

        gateway.Services.GetRequiredService<INoticeSink>().Publish(new GatewayNotice(NoticeKinds.ApprovalRequested, "apr_1", DateTimeOffset.UtcNow, "alice", "bank", null, "", null, "/api/approvals/apr_1"));
        await gateway.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }
}
