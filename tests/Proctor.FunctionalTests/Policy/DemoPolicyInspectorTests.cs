using Proctor.FunctionalTests.Infrastructure;
using Proctor.FunctionalTests.Masking;

namespace Proctor.FunctionalTests.Policy;

/// <summary><c>proctor demo</c> with the policy it ships, driven as README's tour tells a user to: the MCP Inspector CLI.</summary>
public sealed class ShippedPolicyDemo : DemoGateway
{
    protected override bool ShippedPolicy => true;
}

/// <summary>
/// The demo's policy as a real, validating client sees it: the analyst's list has no SQL tool, so the client finds no such
/// tool to call (the C# SDK tests in this folder send the call anyway and see the policy's refusal); the supervisor runs it; a transfer above the threshold is held for approval and answered with its approval id.
/// </summary>
public sealed class DemoPolicyInspectorTests(ShippedPolicyDemo demo) : IClassFixture<ShippedPolicyDemo>
{
    [Fact]
    public async Task Analyst_ListHasNoSqlTool_AndCallingItAnywayIsRefusedByThePolicy()
    {
        var (listed, list) = await InspectorCli.RunAsync(demo.Mcp(), demo.Credentials["analyst"], "--method", "tools/list");
        var (_, call) = await InspectorCli.RunAsync(demo.Mcp(), demo.Credentials["analyst"],
            "--method", "tools/call", "--tool-name", "bank__run_sql", "--tool-arg", "query=SELECT 1");

        Assert.True(listed == 0, list);
        Assert.Contains("bank__search_customers", list, StringComparison.Ordinal);
        Assert.DoesNotContain("bank__run_sql", list, StringComparison.Ordinal);
        // Invisible denial: the client checks the list before calling, and finds no such tool, as for one that does not exist.
        Assert.Contains("Tool 'bank__run_sql' not found", call, StringComparison.Ordinal);
        Assert.DoesNotContain("\"rows\"", call, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Supervisor_RunsTheSqlTool()
    {
        var (exit, output) = await InspectorCli.RunAsync(demo.Mcp(), demo.Credentials["supervisor"],
            "--method", "tools/call", "--tool-name", "bank__run_sql", "--tool-arg", "query=SELECT count(*) AS n FROM customers");

        Assert.True(exit == 0, output);
        Assert.DoesNotContain("\"isError\": true", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Analyst_TransferAboveTheThreshold_HeldForApprovalAndAnsweredWithTheApprovalId()
    {
        var (_, output) = await InspectorCli.RunAsync(demo.Mcp(), demo.Credentials["analyst"],
            "--method", "tools/call", "--tool-name", "bank__transfer_funds",
            "--tool-arg", "from_account=ACC-1", "--tool-arg", "to_account=ACC-2", "--tool-arg", "amount=25000", "--tool-arg", "memo=inspector");

        Assert.Contains("Approval required", output, StringComparison.Ordinal);
        Assert.Contains("transfers-above-10k-need-approval", output, StringComparison.Ordinal);
        Assert.Contains("proctor approvals approve ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("TRF-", output, StringComparison.Ordinal); // not run: no transfer receipt
    }
}
