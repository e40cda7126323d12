using System.Text.Json.Nodes;
using Proctor.Mcp.Authorization;

namespace Proctor.Mcp.Tests.Authorization;

/// <summary>Decision 0036 on the gateway's side: each finding reported once per policy and tool definition, kept while true.</summary>
public sealed class InputSchemaFindingsTests
{
    /// <summary><see cref="TestPolicies.Bank"/> reads <c>args.amount</c> and <c>args.to</c> of transfer_funds; this schema calls the latter <c>to_account</c>.</summary>
    private const string Tools = """
        [{"name": "search_customers", "inputSchema": {"type": "object", "properties": {"query": {}}}},
         {"name": "transfer_funds", "inputSchema": {"type": "object", "properties": {"amount": {}, "to_account": {}}}}]
        """;

    private static JsonArray List(string json = Tools) => JsonNode.Parse(json)!.AsArray();

    [Fact]
    public void Review_UndeclaredField_ReportedTheFirstTimeOnly_AndKeptForReadiness()
    {
        var policies = TestPolicies.InForce();
        var policy = policies.Current.Model;

        var first = policies.InputSchemas.Review(policy, "bank", List());
        var second = policies.InputSchemas.Review(policy, "bank", List());

        var finding = Assert.Single(first);
        Assert.Equal(("no-gl-transfers", "condition"), (finding.RuleId, finding.Field));
        Assert.Contains("reads args.to, but tool 'transfer_funds' on server 'bank' declares no 'to' in its inputSchema (it declares: amount, to_account)", finding.Message, StringComparison.Ordinal);
        Assert.Empty(second);
        Assert.Equal([finding.ToString()], policies.InputSchemas.Current(policy.Hash));
    }

    [Fact]
    public void Review_SchemaDeclaresTheFieldAgain_FindingDropped()
    {
        var policies = TestPolicies.InForce();
        var policy = policies.Current.Model;
        policies.InputSchemas.Review(policy, "bank", List());

        var fixedSchema = policies.InputSchemas.Review(policy, "bank", List(Tools.Replace("\"to_account\"", "\"to\"", StringComparison.Ordinal)));

        Assert.Empty(fixedSchema);
        Assert.Empty(policies.InputSchemas.Current(policy.Hash));
    }

    [Fact]
    public void Review_DefinitionChangesWhatItDeclares_ReportedAgain()
    {
        var policies = TestPolicies.InForce();
        var policy = policies.Current.Model;
        policies.InputSchemas.Review(policy, "bank", List());

        var changed = policies.InputSchemas.Review(policy, "bank", List(Tools.Replace("\"to_account\"", "\"destination\"", StringComparison.Ordinal)));

        Assert.Contains("(it declares: amount, destination)", Assert.Single(changed).Message, StringComparison.Ordinal);
        Assert.Single(policies.InputSchemas.Current(policy.Hash));
    }

    [Fact]
    public void Review_NewPolicyInForce_ReportsItsFindingsAfresh_AndTheReplacedPolicysAnswersNothing()
    {
        var policies = TestPolicies.InForce();
        var old = policies.Current.Model;
        policies.InputSchemas.Review(old, "bank", List());

        policies.Swap(TestPolicies.Policy(TestPolicies.Bank.Replace("args.amount > 10000", "args.amount > 20000", StringComparison.Ordinal)));
        var late = policies.InputSchemas.Review(old, "bank", List());
        var current = policies.InputSchemas.Review(policies.Current.Model, "bank", List());

        Assert.Empty(late);
        Assert.Single(current);
        Assert.Empty(policies.InputSchemas.Current(old.Hash));
        Assert.Single(policies.InputSchemas.Current(policies.Current.Model.Hash));
    }

    [Fact]
    public void Review_ToolsWithoutNamesOrOnAnotherServer_NothingReported()
    {
        var policies = TestPolicies.InForce();

        Assert.Empty(policies.InputSchemas.Review(policies.Current.Model, "crm", List()));
        Assert.Empty(policies.InputSchemas.Review(policies.Current.Model, "bank", List("""[{"inputSchema": {"properties": {}}}, 7, {"name": 3}]""")));
    }

    [Fact]
    public void Review_EverNewToolNames_KeptFindingsBounded()
    {
        var policies = TestPolicies.InForce("""
            rules:
              - { id: any-tool, effect: deny, subjects: { everyone: true }, targets: { servers: [bank] }, condition: "args.amount > 1" }
            """);
        var tools = new JsonArray();
        for (var i = 0; i < InputSchemaFindings.MaxTools + 50; i++)
        {
            tools.Add(new JsonObject { ["name"] = $"tool_{i}", ["inputSchema"] = JsonNode.Parse("""{"properties": {"x": {}}}""") });
        }

        var reported = policies.InputSchemas.Review(policies.Current.Model, "bank", tools);

        Assert.Equal(InputSchemaFindings.MaxTools, reported.Count);
        Assert.Equal(InputSchemaFindings.MaxTools, policies.InputSchemas.Current(policies.Current.Model.Hash).Count);
    }
}
