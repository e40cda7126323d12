using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using Proctor.FunctionalTests.Identity;
using Proctor.FunctionalTests.Infrastructure;

namespace Proctor.FunctionalTests.Policy;

/// <summary>
/// The policy in the running gateway, with a real OpenID provider issuing each identity's token and the real sample bank
/// server behind the gateway, seen by clients of both eras: the C# SDK at 2025-11-25 and the TypeScript SDK v2 pinned to
/// 2026-07-28. Lists differ per identity, refusals name the rule, an edit of the policy file applies without a restart,
/// and a broken edit is refused while the old policy keeps deciding.
/// </summary>
public sealed class PolicyGatewayTests : IAsyncLifetime
{
    private const string Policy = """
        rules:
          - id: staff-read-customers
            effect: allow
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank], tools: [search_customers, get_customer] }
          - id: supervisors-run-sql
            effect: allow
            subjects: { groups: [supervisors] }
            targets: { servers: [bank], tools: [run_sql] }
            link: https://wiki.bank.example/sql-access
          - id: transfers-up-to-10k
            effect: allow
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank], tools: [transfer_funds] }
            condition: args.amount <= 10000
          - id: transfers-above-10k-need-approval
            effect: approve
            subjects: { groups: [analysts, supervisors] }
            targets: { servers: [bank], tools: [transfer_funds] }
            condition: args.amount > 10000
            message: Transfers above $10,000 need a supervisor's approval.
            approval: { approvers: [approvers] }
        """;

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("proctor-policy-");
    private readonly CapturedLog _log = new();
    private OidcProvider _provider = null!;
    private GatewayUnderTest _gateway = null!;
    private string _resource = "";

    private string PolicyPath => Path.Combine(_folder.FullName, "policy.yaml");

    public async Task InitializeAsync()
    {
        Peers.RequireInstalled();
        await File.WriteAllTextAsync(PolicyPath, Policy);
        _provider = await OidcProvider.StartAsync();
        (_gateway, _resource) = await IdentityGateway.StartGatewayTrustingAsync(_provider,
            upstreams: $$"""
              bank:
                command: "dotnet"
                args: ["{{Peers.ProctorDll}}", "sample", "bank-server", "--seed", "42"]
            """,
            identitySetting: "clockSkew: \"1s\"\n  roles: { auditor: [auditors] }",
            sections: $"policy: {{ file: \"{PolicyPath}\" }}\napprovals: {{ holdTime: \"1s\" }}\n",
            log: _log);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _provider.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    private async Task<McpClient> ConnectAsync(string identity, string? server = null) =>
        await Clients.ConnectAsync(_gateway.Mcp(server), "2025-11-25", bearer: await _provider.TokenAsync(identity, _resource));

    /// <summary>The TypeScript SDK v2 client pinned to 2026-07-28 (the stateless era), connected as <paramref name="identity"/>.</summary>
    private async Task<TypeScriptSession> ConnectModernAsync(string identity, string? server = null)
    {
        var session = await TypeScriptSession.ConnectAsync("v2", _gateway.Mcp(server), await _provider.TokenAsync(identity, _resource));
        Assert.Equal("2026-07-28", session.ProtocolVersion);
        return session;
    }

    private static JsonObject Args(string json) => JsonNode.Parse(json)!.AsObject();

    /// <summary>The error the TypeScript client raised for a call, failing with what it got instead when it got a result.</summary>
    private static JsonNode Refusal(JsonObject reply) =>
        reply["error"] ?? throw new Xunit.Sdk.XunitException("Expected the call to be refused; the client got: " + reply.ToJsonString());

    /// <summary>
    /// The answer to a call sent for approval: a tool result with <c>isError</c> naming the rule, carrying the pending
    /// approval under <c>_meta</c> (docs/approvals.md); fails with what the client got otherwise.
    /// </summary>
    private static (string Text, JsonNode Approval) PendingApproval(JsonObject reply) =>
        reply["result"] is JsonObject { } result && (bool?)result["isError"] == true && result["_meta"]?["proctor/approval"] is { } approval
            ? ((string)result["content"]![0]!["text"]!, approval)
            : throw new Xunit.Sdk.XunitException("Expected the call to wait for approval; the client got: " + reply.ToJsonString());

    private static async Task<string[]> ToolNamesAsync(McpClient client) => [.. (await client.ListToolsAsync()).Select(t => t.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Lists_DifferPerIdentity_OnBothEndpoints()
    {
        await using var analyst = await ConnectAsync("analyst");
        await using var supervisor = await ConnectAsync("supervisor");
        await using var analystOnBank = await ConnectAsync("analyst", "bank");
        await using var auditor = await ConnectAsync("auditor");

        Assert.Equal(["bank__get_customer", "bank__search_customers", "bank__transfer_funds", "proctor__request_access"], await ToolNamesAsync(analyst)); // people on /mcp also see the gateway's request tool (decision 0045)
        Assert.Equal(["bank__get_customer", "bank__run_sql", "bank__search_customers", "bank__transfer_funds", "proctor__request_access"], await ToolNamesAsync(supervisor));
        Assert.Equal(["get_customer", "search_customers", "transfer_funds"], await ToolNamesAsync(analystOnBank));
        Assert.Equal(["proctor__request_access"], await ToolNamesAsync(auditor)); // default deny: nothing allows auditors, so no upstream tool is listed
    }

    [Fact]
    public async Task Calls_RefusedByThePolicy_NameTheRuleAndAreRecorded()
    {
        await using var analyst = await ConnectAsync("analyst");
        await using var analystOnBank = await ConnectAsync("analyst", "bank");
        await using var supervisor = await ConnectAsync("supervisor");

        var sql = await Assert.ThrowsAsync<McpProtocolException>(() => analyst.CallToolAsync("bank__run_sql", new Dictionary<string, object?> { ["query"] = "select 1" }).AsTask());
        var bare = await Assert.ThrowsAsync<McpProtocolException>(() => analystOnBank.CallToolAsync("run_sql", new Dictionary<string, object?> { ["query"] = "select 1" }).AsTask());
        var big = await analyst.CallToolAsync("bank__transfer_funds", new Dictionary<string, object?> { ["from_account"] = "1", ["to_account"] = "2", ["amount"] = 25000 });
        var allowed = await supervisor.CallToolAsync("bank__run_sql", new Dictionary<string, object?> { ["query"] = "select count(*) from customers" });

        Assert.Contains("'default-deny'", sql.Message, StringComparison.Ordinal);
        Assert.Contains("'default-deny'", bare.Message, StringComparison.Ordinal);
        Assert.True(big.IsError); // held for approval, then answered "not yet" with the approval id (docs/approvals.md)
        Assert.Contains("Approval required: Transfers above $10,000 need a supervisor's approval.", Clients.Text(big), StringComparison.Ordinal);
        Assert.Contains("'transfers-above-10k-need-approval'", Clients.Text(big), StringComparison.Ordinal);
        Assert.NotEqual(true, allowed.IsError);

        var refused = await LedgerEvents.ReadAsync(_gateway.DatabasePath, "call.refused");
        var approval = Assert.Single(refused, e => LedgerEvents.Reason(e) == "approval.pending");
        Assert.Equal(("approve", "transfers-above-10k-need-approval"), ((string?)approval["decision"]!["effect"], (string?)approval["decision"]!["rule"]));
        Assert.Equal(2, refused.Count(e => LedgerEvents.Reason(e) == "policy.not_allowed" && (string?)e["decision"]!["rule"] == "default-deny"));
        var hash = (string)(await LedgerEvents.ReadAsync(_gateway.DatabasePath, "policy.load")).Single()["details"]!["hash"]!;
        Assert.All(refused, e => Assert.Equal(hash, (string?)e["decision"]!["policy_hash"]));
        var request = (await LedgerEvents.ReadAsync(_gateway.DatabasePath, "call.request")).Last(e => LedgerEvents.Method(e) == "tools/call");
        Assert.Equal(("allow", "supervisors-run-sql", hash), ((string?)request["decision"]!["effect"], (string?)request["decision"]!["rule"], (string?)request["decision"]!["policy_hash"]));
    }

    [Fact]
    public async Task PolicyEdit_TakesEffectWithoutRestart_AndABrokenEditIsRefusedWhileTheOldPolicyKeepsDeciding()
    {
        await using var analyst = await ConnectAsync("analyst");
        var before = (string)(await Readyz.GetAsync(_gateway)).Body["policy"]!["hash"]!;

        await File.WriteAllTextAsync(PolicyPath, Policy.Replace("subjects: { groups: [supervisors] }", "subjects: { groups: [supervisors, analysts] }", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => (string?)Readyz.GetAsync(_gateway).GetAwaiter().GetResult().Body["policy"]!["hash"] != before, TimeSpan.FromSeconds(15));
        var afterEdit = (string)(await Readyz.GetAsync(_gateway)).Body["policy"]!["hash"]!;

        Assert.Contains("bank__run_sql", await ToolNamesAsync(analyst));
        var result = await analyst.CallToolAsync("bank__run_sql", new Dictionary<string, object?> { ["query"] = "select count(*) from customers" });
        Assert.NotEqual(true, result.IsError);

        await File.WriteAllTextAsync(PolicyPath, Policy.Replace("effect: approve", "effect: maybe", StringComparison.Ordinal));
        await Eventually.TrueAsync(() => _log.Lines.Any(m => m.Contains("Policy reload (file change)", StringComparison.Ordinal) && m.Contains("refused", StringComparison.Ordinal)), TimeSpan.FromSeconds(15));

        var ready = (await Readyz.GetAsync(_gateway)).Body["policy"]!;
        Assert.Equal(afterEdit, (string?)ready["hash"]);
        Assert.Equal("refused", (string?)ready["lastReload"]);
        Assert.Contains(_log.Lines, m => m.Contains("rule transfers-above-10k-need-approval, field effect", StringComparison.Ordinal));
        Assert.Contains("bank__run_sql", await ToolNamesAsync(analyst)); // still the edited policy
        var loads = await LedgerEvents.ReadAsync(_gateway.DatabasePath, "policy.load");
        Assert.Equal(["ok", "ok", "refused"], loads.Select(e => (string)e["outcome"]!["status"]!));
        Assert.Equal([before, afterEdit], loads.Take(2).Select(e => (string)e["details"]!["hash"]!));
    }

    [Fact]
    public async Task ModernClient_ListsDifferPerIdentity_AndRefusalsNameTheRule()
    {
        await using var analyst = await ConnectModernAsync("analyst");
        await using var analystOnBank = await ConnectModernAsync("analyst", "bank");
        await using var supervisor = await ConnectModernAsync("supervisor");
        await using var auditor = await ConnectModernAsync("auditor");

        Assert.Equal(["bank__get_customer", "bank__search_customers", "bank__transfer_funds", "proctor__request_access"], await analyst.ListToolsAsync()); // decision 0045
        Assert.Equal(["get_customer", "search_customers", "transfer_funds"], await analystOnBank.ListToolsAsync());
        Assert.Equal(["bank__get_customer", "bank__run_sql", "bank__search_customers", "bank__transfer_funds", "proctor__request_access"], await supervisor.ListToolsAsync());
        Assert.Equal(["proctor__request_access"], await auditor.ListToolsAsync());

        var sql = Refusal(await analyst.CallToolAsync("bank__run_sql", Args("""{"query": "select 1"}""")));
        var bare = Refusal(await analystOnBank.CallToolAsync("run_sql", Args("""{"query": "select 1"}""")));
        var (big, approval) = PendingApproval(await analyst.CallToolAsync("bank__transfer_funds", Args("""{"from_account": "1", "to_account": "2", "amount": 25000}""")));
        var allowed = await supervisor.CallToolAsync("bank__run_sql", Args("""{"query": "select count(*) from customers"}"""));

        Assert.Equal((-32063, "policy.not_allowed", "default-deny"), ((int)sql["code"]!, (string?)sql["data"]!["reason"], (string?)sql["data"]!["rule"]));
        Assert.Contains("'default-deny'", (string?)sql["message"], StringComparison.Ordinal);
        Assert.Equal("default-deny", (string?)bare["data"]!["rule"]);
        Assert.Equal("approval.pending", (string?)approval["reason"]);
        Assert.Contains("Approval required: Transfers above $10,000 need a supervisor's approval.", big, StringComparison.Ordinal);
        Assert.Contains("'transfers-above-10k-need-approval'", big, StringComparison.Ordinal);
        Assert.True(allowed["result"] is JsonObject result && (bool?)result["isError"] != true, allowed.ToJsonString());
        var refused = await LedgerEvents.ReadAsync(_gateway.DatabasePath, "call.refused");
        Assert.Equal(["default-deny", "default-deny", "transfers-above-10k-need-approval"], refused.Select(e => (string)e["decision"]!["rule"]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ModernClient_PolicyEditSeenByItsNextCalls_AndABrokenEditKeepsTheOldDecisions()
    {
        await using var analyst = await ConnectModernAsync("analyst");
        Assert.DoesNotContain("bank__run_sql", await analyst.ListToolsAsync());
        Assert.Equal("default-deny", (string?)Refusal(await analyst.CallToolAsync("bank__run_sql", Args("""{"query": "select 1"}""")))["data"]!["rule"]);
        var before = (string)(await Readyz.GetAsync(_gateway)).Body["policy"]!["hash"]!;

        await File.WriteAllTextAsync(PolicyPath, Policy.Replace("subjects: { groups: [supervisors] }", "subjects: { groups: [supervisors, analysts] }", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => (string?)(await Readyz.GetAsync(_gateway)).Body["policy"]!["hash"] != before, TimeSpan.FromSeconds(15));

        Assert.Contains("bank__run_sql", await analyst.ListToolsAsync()); // the same client, no reconnect
        var ran = await analyst.CallToolAsync("bank__run_sql", Args("""{"query": "select count(*) from customers"}"""));
        Assert.True(ran["result"] is JsonObject result && (bool?)result["isError"] != true, ran.ToJsonString());

        await File.WriteAllTextAsync(PolicyPath, Policy.Replace("effect: approve", "effect: maybe", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => (string?)(await Readyz.GetAsync(_gateway)).Body["policy"]!["lastReload"] == "refused", TimeSpan.FromSeconds(15));

        Assert.Contains("bank__run_sql", await analyst.ListToolsAsync()); // still the edited policy
        var (big, _) = PendingApproval(await analyst.CallToolAsync("bank__transfer_funds", Args("""{"from_account": "1", "to_account": "2", "amount": 25000}""")));
        Assert.Contains("'transfers-above-10k-need-approval'", big, StringComparison.Ordinal);
        var (_, ready, _) = await Readyz.GetAsync(_gateway, bearer: await _provider.TokenAsync("auditor", _resource));
        Assert.NotEqual(before, (string?)ready["policy"]!["hash"]);
        var pending = (await LedgerEvents.ReadAsync(_gateway.DatabasePath, "call.refused")).Last(e => LedgerEvents.Reason(e) == "approval.pending");
        Assert.Equal((string?)pending["decision"]!["policy_hash"], (string?)ready["policy"]!["hash"]); // decided by the edited policy, not the broken one
        Assert.Contains(ready["policy"]!["errors"]!.AsArray(), e => ((string)e!).StartsWith("rules[3](transfers-above-10k-need-approval).effect:", StringComparison.Ordinal)
            && ((string)e!).Contains("\"maybe\" is not an effect", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InputSchema_ConditionReadsAFieldTheRealToolDoesNotDeclare_LoggedOnceAndShownOnReadyz()
    {
        var before = (string)(await Readyz.GetAsync(_gateway)).Body["policy"]!["hash"]!;
        await File.WriteAllTextAsync(PolicyPath, Policy.Replace("condition: args.amount <= 10000", "condition: args.amout <= 10000", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => (string?)(await Readyz.GetAsync(_gateway)).Body["policy"]!["hash"] != before, TimeSpan.FromSeconds(15));
        await using var analyst = await ConnectModernAsync("analyst");
        await using var supervisor = await ConnectModernAsync("supervisor");

        await analyst.ListToolsAsync();
        await supervisor.ListToolsAsync();
        await analyst.ListToolsAsync();

        var warning = Assert.Single(_log.Lines, l => l.Contains("[2920]", StringComparison.Ordinal));
        Assert.Contains("Policy rule transfers-up-to-10k reads an argument that a tool of upstream bank does not declare", warning, StringComparison.Ordinal);
        Assert.Contains("reads args.amout, but tool 'transfer_funds' on server 'bank' declares no 'amout' in its inputSchema (it declares: from_account, to_account, amount, memo); did you mean 'amount'?", warning, StringComparison.Ordinal);
        Assert.Equal(1, (int?)(await Readyz.GetAsync(_gateway)).Body["policy"]!["inputSchemaMismatches"]);
        Assert.Null((await Readyz.GetAsync(_gateway)).Body["policy"]!["inputSchemaFindings"]);
        var detailed = (await Readyz.GetAsync(_gateway, bearer: await _provider.TokenAsync("auditor", _resource))).Body["policy"]!;
        Assert.Contains("declares no 'amout'", (string?)Assert.Single(detailed["inputSchemaFindings"]!.AsArray()), StringComparison.Ordinal);

        await File.WriteAllTextAsync(PolicyPath, Policy);
        await Eventually.TrueAsync(async () => (string?)(await Readyz.GetAsync(_gateway)).Body["policy"]!["hash"] == before, TimeSpan.FromSeconds(15));
        await analyst.ListToolsAsync();
        Assert.Null((await Readyz.GetAsync(_gateway)).Body["policy"]!["inputSchemaMismatches"]);
    }
}
