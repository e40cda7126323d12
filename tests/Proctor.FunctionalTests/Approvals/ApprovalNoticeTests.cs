using System.Text;
using System.Text.Json;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Notifications.Tests.Infrastructure;

namespace Proctor.FunctionalTests.Approvals;

/// <summary>
/// Approvers hear of a held call without watching a terminal: the request and the decision over REST each reach a real
/// webhook receiver, signed, after the ledger has them, naming the request and where to act, and carrying no account
/// number unmasked.
/// </summary>
public sealed class ApprovalNoticeTests
{
    private const string Secret = "4f0c9e7a2b5d8e1f3a6c9b2e5d8f1a4c";

    [Fact]
    public async Task HeldTransfer_RequestAndApproval_EachReachTheWebhook_MaskedAndLinked()
    {
        await using var receiver = await SigningReceiver.StartAsync(Secret);
        var secrets = Directory.CreateTempSubdirectory("proctor-hook-").FullName;
        try
        {
            await using var bank = await ApprovalBank.StartAsync(holdTime: "1s", await WebhookSectionAsync(secrets, receiver.Url));
            await using var analyst = await bank.ConnectAsync("analyst");

            var held = await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
            var id = (await bank.PendingAsync()).Id;
            var (status, _) = await bank.DecideOverRestAsync(id, "approve", "supervisor");
            await Eventually.TrueAsync(() => receiver.Accepted.Count >= 2, TimeSpan.FromSeconds(10));

            Assert.True(held.IsError); // the hold ran out: the caller was told to come back once approved
            Assert.Equal(200, status);
            var notices = receiver.Accepted.Select(body => JsonDocument.Parse(body).RootElement.GetProperty("proctor")).ToList();
            Assert.Equal(["approval.requested", "approval.approved"], notices.Select(n => n.GetProperty("kind").GetString()));
            Assert.All(notices, n => Assert.Equal(id, n.GetProperty("id").GetString()));
            Assert.All(notices, n => Assert.Equal($"https://proctor.bank.example/api/approvals/{id}", n.GetProperty("link").GetString()));
            Assert.Equal("transfers-above-10k-need-approval", notices[0].GetProperty("ruleId").GetString());
            Assert.Equal("bob", notices[1].GetProperty("actor").GetString());
            foreach (var body in receiver.Accepted.Select(Encoding.UTF8.GetString))
            {
                Assert.DoesNotContain(bank.Accounts.From, body, StringComparison.Ordinal);
                Assert.DoesNotContain(bank.Accounts.To, body, StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }
    [Fact]
    public async Task DecisionInTheCli_ReachesTheWebhook_FromTheCliProcess_SignedAndNamingTheApprover()
    {
        await using var receiver = await SigningReceiver.StartAsync(Secret);
        var secrets = Directory.CreateTempSubdirectory("proctor-hook-").FullName;
        try
        {
            await using var bank = await ApprovalBank.StartAsync(holdTime: "1s", await WebhookSectionAsync(secrets, receiver.Url));
            await using var analyst = await bank.ConnectAsync("analyst");
            await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
            var id = (await bank.PendingAsync()).Id;
            await Eventually.TrueAsync(() => receiver.Accepted.Count >= 1, TimeSpan.FromSeconds(10));
            // The gateway never hears of a decision taken in another process's desk: the notice below is the CLI's own.

            var (exit, output) = await ProctorCli.RunAsync("approvals", "deny", id, "--token", await bank.TokenAsync("supervisor"), "--comment", "not for account " + bank.Accounts.To, "--config", bank.CliConfig);

            Assert.True(exit == 0, output);
            Assert.Equal(2, receiver.Accepted.Count); // delivered before the command ended
            var denied = JsonDocument.Parse(receiver.Accepted.Last()).RootElement.GetProperty("proctor");
            Assert.Equal("approval.denied", denied.GetProperty("kind").GetString());
            Assert.Equal(id, denied.GetProperty("id").GetString());
            Assert.Equal("bob", denied.GetProperty("actor").GetString());
            Assert.DoesNotContain(bank.Accounts.To, Encoding.UTF8.GetString(receiver.Accepted.Last()), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    [Fact]
    public async Task DecisionInTheCli_ReceiverDown_DecisionStands_AndTheCommandSaysTheNoticeWasNotDelivered()
    {
        var secrets = Directory.CreateTempSubdirectory("proctor-hook-").FullName;
        try
        {
            var closedPort = Ports.Free();
            await using var bank = await ApprovalBank.StartAsync(holdTime: "1s", await WebhookSectionAsync(secrets, new Uri($"http://127.0.0.1:{closedPort}/hook"), maxAttempts: 2));
            await using var analyst = await bank.ConnectAsync("analyst");
            await analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts));
            var id = (await bank.PendingAsync()).Id;

            var (exit, output) = await ProctorCli.RunAsync("approvals", "approve", id, "--token", await bank.TokenAsync("supervisor"), "--config", bank.CliConfig);

            Assert.True(exit == 0, output);
            Assert.Contains($"Approved {id}", output, StringComparison.Ordinal);
            Assert.Contains("not delivered", output, StringComparison.Ordinal);
            var (_, shown) = await ProctorCli.RunAsync("approvals", "show", id, "--config", bank.CliConfig);
            Assert.Contains("approved", shown, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }

    /// <summary>A <c>notifications:</c> section whose URL and secret are read from files, as an operator keeps them out of the YAML.</summary>
    private static async Task<string> WebhookSectionAsync(string secrets, Uri url, int maxAttempts = 12)
    {
        await File.WriteAllTextAsync(Path.Combine(secrets, "url"), url.AbsoluteUri);
        await File.WriteAllTextAsync(Path.Combine(secrets, "secret"), Secret);
        return $$"""
            notifications:
              publicUrl: "https://proctor.bank.example"
              webhooks:
                - { name: approvers, url: "${file:{{secrets}}/url}", secret: "${file:{{secrets}}/secret}", events: ["approval.*"], maxAttempts: {{maxAttempts}}, timeout: "2s" }

            """;
    }
}
