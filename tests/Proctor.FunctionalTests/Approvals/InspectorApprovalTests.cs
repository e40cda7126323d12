using Proctor.Approvals.Requests;
using Proctor.Approvals.Store;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.FunctionalTests.Policy;
using Proctor.Storage.Sqlite.Approvals;

namespace Proctor.FunctionalTests.Approvals;

/// <summary>
/// The demo's tour as a user follows it: the analyst's transfer above $10,000 through the MCP Inspector CLI, approved by
/// the supervisor with the command the demo prints (<c>proctor approvals approve ID --token "$SUPERVISOR"</c>), runs once.
/// </summary>
public sealed class InspectorApprovalTests(ShippedPolicyDemo demo) : IClassFixture<ShippedPolicyDemo>
{
    [Fact]
    public async Task DemoTransfer_ApprovedWithTheDemosCommand_RunsOnce_ThenNeedsApprovalAgain()
    {
        var (from, to) = await ApprovalBank.RichestAccountsAsync(); // the demo's bank has the same seed; quoted below, or the Inspector sends digits as a number
        string[] transfer = ["--method", "tools/call", "--tool-name", "bank__transfer_funds", "--tool-arg", $"from_account=\"{from}\"", "--tool-arg", $"to_account=\"{to}\"", "--tool-arg", "amount=10000.5", "--tool-arg", "memo=tour"];
        var store = new SqliteApprovalStore(Path.Combine(demo.DataFolder, "proctor-data", "proctor.db"));

        var call = InspectorCli.RunAsync(demo.Mcp(), demo.Credentials["analyst"], transfer);
        ApprovalRequest? request = null;
        await Eventually.TrueAsync(async () => (request = (await store.ListAsync(new ApprovalQuery(ApprovalState.Pending), default)).FirstOrDefault()) is not null, TimeSpan.FromSeconds(30));
        var (approved, approval) = await ProctorCli.RunAsync("approvals", "approve", request!.Id, "--token", demo.Credentials["supervisor"], "--config", Path.Combine(demo.DataFolder, "proctor.yaml"));
        var (_, first) = await call;
        // Held (session era): released by the approval. Answered at once (2026-07-28): the same call again runs it.
        var ran = first.Contains("TRF-", StringComparison.Ordinal) ? first : (await InspectorCli.RunAsync(demo.Mcp(), demo.Credentials["analyst"], transfer)).Output;
        var (_, again) = await InspectorCli.RunAsync(demo.Mcp(), demo.Credentials["analyst"], transfer);

        Assert.True(approved == 0, approval);
        Assert.Contains("TRF-", ran, StringComparison.Ordinal);
        Assert.Contains("Approval required", again, StringComparison.Ordinal);
        Assert.DoesNotContain("TRF-", again, StringComparison.Ordinal);
        Assert.Equal(ApprovalState.Used, (await store.FindAsync(request.Id, default))!.State);
    }
}
