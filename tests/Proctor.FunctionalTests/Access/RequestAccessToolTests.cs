using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using Proctor.FunctionalTests.Infrastructure;
using Proctor.Identity.AgentKeys;
using Proctor.Storage.Sqlite.AgentKeys;

namespace Proctor.FunctionalTests.Access;

/// <summary>
/// <c>proctor__request_access</c> end to end (decision 0045): the analyst asks for a grant from inside the C# SDK client,
/// the supervisor approves with the real <c>proctor</c> binary, and the tool appears in the same session; an agent key,
/// in the same group as the analyst, neither sees nor reaches the request tool.
/// </summary>
public sealed class RequestAccessToolTests
{
    private const string Tool = "proctor__request_access";

    [Fact]
    public async Task RequestAccess_FromTheClient_ApprovedThroughTheCli_ToolListedAndRuns_AgentKeyNeitherSeesNorReachesIt()
    {
        await using var bank = await GrantBank.StartAsync();
        var (analyst, changes) = await bank.ConnectAsync("analyst");
        await using var _ = analyst;

        var listedBefore = (await analyst.ListToolsAsync()).Select(t => t.Name).ToArray();
        var tooLong = await analyst.CallToolAsync(Tool, Arguments("9h"));
        var asked = await analyst.CallToolAsync(Tool, Arguments("1h"));
        var id = ((JsonElement)asked.StructuredContent!).GetProperty("id").GetString()!;
        var (listedGrants, grantsOutput) = await ProctorCli.RunAsync("access", "grants", "--config", bank.CliConfig);
        var (approved, approveOutput) = await ProctorCli.RunAsync("access", "approve", id, "--token", await bank.TokenAsync("supervisor"), "--config", bank.CliConfig);
        Assert.True(approved == 0, approveOutput);
        await bank.TickUntilAsync(() => !changes.IsEmpty);
        var listedAfter = await GrantBank.ListsSqlAsync(analyst);
        var during = await GrantBank.QueryAsync(analyst);

        Assert.Contains(Tool, listedBefore);
        Assert.DoesNotContain(GrantBank.Sql, listedBefore);
        Assert.Equal(true, tooLong.IsError);
        Assert.Contains("too_long", Text(tooLong), StringComparison.Ordinal);
        Assert.NotEqual(true, asked.IsError);
        Assert.Contains($"proctor access approve {id} --token", Text(asked), StringComparison.Ordinal);
        Assert.Equal("pending", ((JsonElement)asked.StructuredContent!).GetProperty("state").GetString());
        Assert.True(listedGrants == 0, grantsOutput);
        Assert.Contains(id, grantsOutput, StringComparison.Ordinal);
        Assert.True(listedAfter);
        Assert.NotEqual(true, during.IsError);
        var events = await LedgerEvents.ReadAsync(bank.DatabasePath);
        Assert.Equal(["grant.request", "grant.approve"], events.Select(e => (string?)e["kind"]).Where(k => k!.StartsWith("grant.", StringComparison.Ordinal)));
        Assert.Equal(2, events.Count(e => (string?)e["kind"] == "call.request" && (string?)e["action"]?["name"] == "request_access"));

        // The hard negative: an agent key in the analysts group (a subject of the grant rule, were it a person).
        var secret = AgentKeyFormat.NewKey();
        var now = bank.Clock.GetUtcNow();
        await new SqliteAgentKeyStore(bank.DatabasePath).AddAsync(
            new AgentKey(AgentKeyFormat.NewId(), $"nightly-{Guid.NewGuid():n}", ["analysts"], now.AddMinutes(-5), now.AddHours(1), null), AgentKeyFormat.Hash(secret), CancellationToken.None);
        await using var agent = await Clients.ConnectAsync(bank.Gateway.Mcp(), "2025-11-25", bearer: secret);
        var agentTools = (await agent.ListToolsAsync()).Select(t => t.Name).ToArray();
        var reached = await Assert.ThrowsAsync<McpProtocolException>(() => agent.CallToolAsync(Tool, Arguments("1h")).AsTask());
        var unknown = await Assert.ThrowsAsync<McpProtocolException>(() => agent.CallToolAsync("proctor__no_such_tool", Arguments("1h")).AsTask());

        Assert.DoesNotContain(Tool, agentTools);
        Assert.Equal(unknown.ErrorCode, reached.ErrorCode);
        Assert.Contains("Unknown name 'proctor__request_access'", reached.Message, StringComparison.Ordinal);
        Assert.Single(await bank.Store.ListAsync(new Proctor.Approvals.Grants.GrantQuery(), CancellationToken.None));
    }

    private static Dictionary<string, object?> Arguments(string duration) => new()
    {
        ["server"] = "bank",
        ["tools"] = new[] { "run_sql" },
        ["duration"] = duration,
        ["reason"] = "CHG-11: month-end reconciliation",
    };

    private static string Text(CallToolResult result) => string.Join("\n", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
}
