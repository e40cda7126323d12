using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Proctor.Configuration.Models;
using Proctor.Http.Health;
using Proctor.Mcp.Authorization;
using Proctor.Policy.Building;
using Proctor.Policy.Documents;

namespace Proctor.Http.Tests.Health;

public sealed class PolicyReadinessTests
{
    private const string Policy = """
        rules:
          - { id: small-transfers, effect: allow, subjects: { everyone: true }, targets: { servers: [bank], tools: [transfer_funds] }, condition: "args.amout <= 10000" }
        """;

    private static PolicyInForce InForce()
    {
        var read = PolicyDocumentReader.Read(Policy, "policy.yaml");
        var model = PolicyBuilder.Build(read.Options, c => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(c.ToJsonString())))).Model!;
        return new PolicyInForce(new GatewayPolicy(model, "policy.yaml", "/etc/proctor/policy.yaml"));
    }

    [Fact]
    public async Task Check_NoToolListedYet_NoInputSchemaFields()
    {
        var report = await new PolicyReadiness(InForce()).CheckAsync(details: true, CancellationToken.None);

        Assert.True(report.Ready);
        Assert.Null(report.Body["inputSchemaMismatches"]);
        Assert.Null(report.Body["inputSchemaFindings"]);
    }

    [Fact]
    public async Task Check_ConditionReadsAnUndeclaredField_CountedForAnyone_NamedOnlyWithDetails()
    {
        var policies = InForce();
        policies.InputSchemas.Review(policies.Current.Model, "bank",
            JsonNode.Parse("""[{"name": "transfer_funds", "inputSchema": {"type": "object", "properties": {"amount": {}}}}]""")!.AsArray());
        var readiness = new PolicyReadiness(policies);

        var anyone = await readiness.CheckAsync(details: false, CancellationToken.None);
        var auditor = await readiness.CheckAsync(details: true, CancellationToken.None);

        Assert.True(anyone.Ready);
        Assert.Equal(1, (int)anyone.Body["inputSchemaMismatches"]!);
        Assert.Null(anyone.Body["inputSchemaFindings"]);
        Assert.Equal(
            "rules[0](small-transfers).condition: line 2, column 139: reads args.amout, but tool 'transfer_funds' on server 'bank' declares no 'amout' in its inputSchema (it declares: amount); did you mean 'amount'?",
            (string?)Assert.Single(auditor.Body["inputSchemaFindings"]!.AsArray()));
    }
}
