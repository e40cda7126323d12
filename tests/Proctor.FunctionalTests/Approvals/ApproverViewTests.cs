using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Approvals;

/// <summary>
/// An approver deciding a held transfer sees its arguments as their own groups may (a masking rule reveals account
/// numbers to approvers), while another reader sees them masked, and once the hold ends everyone reads the stored
/// masked copy: the gateway never stored the account numbers to show them.
/// </summary>
public sealed class ApproverViewTests
{
    private const string RevealAccountsToApprovers = """
        masking:
          rules: [{ entity: bank_account, strategy: partial, keepLast: 4, revealTo: ["approvers"] }]

        """;

    [Fact]
    public async Task HeldTransfer_ApproverSeesTheAccounts_AuditorSeesThemMasked_AfterTheHoldOnlyTheStoredCopy()
    {
        await using var bank = await ApprovalBank.StartAsync(holdTime: "20s", RevealAccountsToApprovers);
        await using var analyst = await bank.ConnectAsync("analyst");
        var held = analyst.CallToolAsync("bank__transfer_funds", ApprovalBank.Transfer(bank.Accounts)).AsTask();
        var id = (await bank.PendingAsync()).Id;

        var (approverStatus, approverView) = await bank.GetOverRestAsync($"/api/approvals/{id}", "supervisor");
        var (auditorStatus, auditorView) = await bank.GetOverRestAsync($"/api/approvals/{id}", "auditor");
        var (_, listed) = await bank.GetOverRestAsync("/api/approvals?state=pending", "supervisor");
        await bank.DecideOverRestAsync(id, "deny", "supervisor", "not today");
        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => held.WaitAsync(TimeSpan.FromSeconds(30))); // denied: the hold ends
        var (_, afterwards) = await bank.GetOverRestAsync($"/api/approvals/{id}", "supervisor");

        Assert.Equal((200, 200), (approverStatus, auditorStatus));
        Assert.Equal(("held_call", bank.Accounts.From, bank.Accounts.To), ((string?)approverView["arguments_from"], (string?)approverView["arguments"]!["from_account"], (string?)approverView["arguments"]!["to_account"]));
        Assert.Equal(bank.Accounts.From, (string?)listed[0]!["arguments"]!["from_account"]);
        Assert.Equal("held_call", (string?)auditorView["arguments_from"]);
        Assert.Equal("stored", (string?)afterwards["arguments_from"]);
        foreach (var masked in new[] { auditorView, afterwards })
        {
            var from = (string?)masked["arguments"]!["from_account"];
            Assert.NotEqual(bank.Accounts.From, from);
            Assert.EndsWith(bank.Accounts.From[^4..], from, StringComparison.Ordinal);
        }

        var stored = await bank.StoredAsync(id);
        Assert.DoesNotContain(bank.Accounts.From, stored.MaskedArguments, StringComparison.Ordinal);
    }
}
