using System.Text.Json;
using System.Text.Json.Nodes;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Notifications.Tests.Infrastructure;

namespace Proctor.FunctionalTests.Access;

/// <summary>
/// Grants and break-glass reach a real webhook receiver, signed, after the ledger has them: break-glass at once, before
/// anyone else acts, then its review's opening and closing; a grant's request, approval and revocation, linked to
/// where people act, with the free text the requester typed masked.
/// </summary>
public sealed class AccessNoticeTests
{
    private const string Secret = "9d1e4b7a0c3f6e2d5a8b1c4f7e0d3a6b";

    [Fact]
    public async Task GrantOverRest_RequestApprovalRevocation_EachNoticed_ReasonMasked()
    {
        await using var receiver = await SigningReceiver.StartAsync(Secret);
        var secrets = Directory.CreateTempSubdirectory("proctor-hook-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(secrets, "url"), receiver.Url.AbsoluteUri);
            await File.WriteAllTextAsync(Path.Combine(secrets, "secret"), Secret);
            await using var bank = await GrantBank.StartAsync($$"""
                notifications:
                  publicUrl: "https://proctor.bank.example"
                  webhooks:
                    - { name: approvers, url: "${file:{{secrets}}/url}", secret: "${file:{{secrets}}/secret}", events: ["grant.*"] }

                """);

            var (_, grant) = await bank.PostAsync("/api/access", "analyst", new JsonObject { ["server"] = "bank", ["tools"] = new JsonArray("run_sql"), ["duration_seconds"] = 600, ["reason"] = "fix customer 123-45-6789" });
            var id = (string)grant["id"]!;
            await bank.PostAsync($"/api/access/{id}/approve", "supervisor");
            await bank.PostAsync($"/api/access/{id}/revoke", "analyst", new JsonObject { ["comment"] = "done early" });
            await Eventually.TrueAsync(() => receiver.Accepted.Count >= 3, TimeSpan.FromSeconds(10));

            var notices = receiver.Accepted.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("proctor")).ToList();
            Assert.Equal(["grant.requested", "grant.approved", "grant.revoked"], notices.Select(n => n.GetProperty("kind").GetString()));
            Assert.All(notices, n => Assert.Equal($"https://proctor.bank.example/api/access/{id}", n.GetProperty("link").GetString()));
            Assert.Equal(["bob", "alice"], notices.Skip(1).Select(n => n.GetProperty("actor").GetString()));
            Assert.DoesNotContain("123-45-6789", (string?)grant["reason"], StringComparison.Ordinal);
            Assert.All(receiver.Accepted.Select(System.Text.Encoding.UTF8.GetString), body => Assert.DoesNotContain("123-45-6789", body, StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    [Fact]
    public async Task BreakGlassOverRest_AlertsTheWebhookAtOnce_ThenReviewOpenedAndClosed()
    {
        await using var receiver = await SigningReceiver.StartAsync(Secret);
        var secrets = Directory.CreateTempSubdirectory("proctor-hook-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(secrets, "url"), receiver.Url.AbsoluteUri);
            await File.WriteAllTextAsync(Path.Combine(secrets, "secret"), Secret);
            await using var bank = await GrantBank.StartAsync($$"""
                notifications:
                  publicUrl: "https://proctor.bank.example"
                  webhooks:
                    - { name: oncall, url: "${file:{{secrets}}/url}", secret: "${file:{{secrets}}/secret}", events: ["breakglass.*", "review.*"] }

                """);

            var (status, grant) = await bank.PostAsync("/api/access/break-glass", "analyst", new JsonObject { ["server"] = "bank", ["tools"] = new JsonArray("run_sql"), ["duration_seconds"] = 1800, ["reason"] = "INC-9: payments down" });
            var (notAllowed, notAllowedBody) = await bank.PostAsync("/api/access/break-glass", "supervisor", new JsonObject { ["server"] = "bank", ["tools"] = new JsonArray("run_sql"), ["duration_seconds"] = 60, ["reason"] = "x" });
            await Eventually.TrueAsync(() => receiver.Accepted.Count >= 2, TimeSpan.FromSeconds(10));
            var reviewId = (string)grant["review"]!["id"]!;
            var (closed, _) = await bank.PostAsync($"/api/reviews/{reviewId}/close", "supervisor", new JsonObject { ["comment"] = "checked INC-9" });
            await Eventually.TrueAsync(() => receiver.Accepted.Count >= 3, TimeSpan.FromSeconds(10));

            Assert.Equal((201, "active", true), (status, (string?)grant["state"], (bool?)grant["break_glass"]));
            Assert.Equal((403, "not_break_glass"), (notAllowed, (string?)notAllowedBody["error"])); // bob holds no breakglass role
            Assert.Equal(200, closed);
            var notices = receiver.Accepted.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("proctor")).ToList();
            Assert.Equal(["breakglass.opened", "review.opened", "review.closed"], notices.Select(n => n.GetProperty("kind").GetString()));
            Assert.Equal((string?)grant["id"], notices[0].GetProperty("id").GetString());
            Assert.Equal($"https://proctor.bank.example/api/reviews/{reviewId}", notices[1].GetProperty("link").GetString());
            Assert.Equal("bob", notices[2].GetProperty("actor").GetString());
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }
}
