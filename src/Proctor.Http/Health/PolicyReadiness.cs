using System.Text.Json.Nodes;
using Proctor.Mcp.Authorization;

namespace Proctor.Http.Health;

/// <summary>
/// The policy in force: its hash (what every call's ledger records name), rule count, whether the last reload
/// was refused, and how many of its conditions read a field a listed tool does not declare. Always ready: a refused
/// reload leaves the previous policy deciding. Where the policy was read, why a reload was refused and which fields
/// are undeclared are details (auditor, admin): they describe the gateway's files and its upstreams' tools.
/// </summary>
internal sealed class PolicyReadiness(PolicyInForce policies) : IReadinessSource
{
    public string Name => "policy";

    public ValueTask<ReadinessReport> CheckAsync(bool details, CancellationToken cancellationToken)
    {
        var current = policies.Current;
        var body = new JsonObject
        {
            ["hash"] = current.Model.Hash,
            ["rules"] = current.Model.RuleCount,
            ["default"] = current.IsDefault,
        };
        if (details)
        {
            body["source"] = current.Source;
        }

        // Fields the policy reads that a listed tool does not declare (decision 0036): counted for anyone, named for auditors.
        var findings = policies.InputSchemas.Current(current.Model.Hash);
        if (findings.Count > 0)
        {
            body["inputSchemaMismatches"] = findings.Count;
            if (details)
            {
                body["inputSchemaFindings"] = new JsonArray([.. findings.Select(f => JsonValue.Create(f))]);
            }
        }

        if (policies.LastRefused is { } refused)
        {
            body["lastReload"] = "refused";
            body["refusedAt"] = refused.At.ToString("O");
            if (details)
            {
                body["errors"] = new JsonArray([.. refused.Errors.Select(e => JsonValue.Create(e))]);
            }
        }

        return ValueTask.FromResult(new ReadinessReport(true, body));
    }
}
