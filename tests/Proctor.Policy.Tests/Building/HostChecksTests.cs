using System.Text.Json.Nodes;

namespace Proctor.Policy.Tests.Building;

/// <summary>The checks the host runs once it knows the configured servers and the upstreams' tool schemas.</summary>
public sealed class HostChecksTests
{
    [Fact]
    public void CheckServers_PatternMatchingNoConfiguredServer_IsReportedWithTheClosest()
    {
        var model = Policies.Build("""
            rules:
              - { id: typo, effect: allow, subjects: { everyone: true }, targets: { servers: [bnak, bank] } }
              - { id: glob, effect: deny, subjects: { everyone: true }, targets: { servers: ["crm-*", "BANK"] } }
            """);

        var errors = model.CheckServers(["bank", "payments"]).Select(e => e.ToString());

        Assert.Equal(
            [
                "rules[0](typo).targets.servers[0]: line 2, column 83: \"bnak\" matches no configured server (configured: bank, payments); did you mean 'bank'?",
                "rules[1](glob).targets.servers[0]: line 3, column 82: \"crm-*\" matches no configured server (configured: bank, payments)",
            ],
            errors);
    }

    [Fact]
    public void CheckInputSchemas_ConditionReadsUndeclaredField_IsReported()
    {
        var model = Policies.Build(BankPolicy.Yaml.Replace("condition: args.amount <= 10000", "condition: args.amout <= 10000 && args.memo != ''", StringComparison.Ordinal));
        var schemas = new Dictionary<string, JsonNode?>
        {
            ["transfer_funds"] = JsonNode.Parse("""{"type": "object", "properties": {"from_account": {}, "to_account": {}, "amount": {}, "memo": {}}}"""),
            ["search_customers"] = JsonNode.Parse("""{"type": "object", "properties": {"query": {}}}"""),
            ["run_sql"] = JsonNode.Parse("""{"type": "object"}"""),
        };

        var errors = model.CheckInputSchemas("bank", schemas).Select(e => e.ToString());

        Assert.Equal(["rules[2](transfers-up-to-10k).condition: line 34, column 16: reads args.amout, but tool 'transfer_funds' on server 'bank' declares no 'amout' in its inputSchema (it declares: from_account, to_account, amount, memo); did you mean 'amount'?"], errors);
    }

    [Fact]
    public void CheckInputSchemas_OtherServerOrSchemaWithoutProperties_NothingToReport()
    {
        var model = Policies.Build(BankPolicy.Yaml);

        Assert.Empty(model.CheckInputSchemas("crm", new Dictionary<string, JsonNode?> { ["transfer_funds"] = JsonNode.Parse("""{"properties": {}}""") }));
        Assert.Empty(model.CheckInputSchemas("bank", new Dictionary<string, JsonNode?> { ["transfer_funds"] = JsonNode.Parse("""{"type": "object"}""") }));
        Assert.Empty(model.CheckServers(["bank"]));
    }
}
